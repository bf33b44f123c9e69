// Template formatting for the renderer: Python str.format semantics (pyformat.ts), with a failure
// thrown as RenderError so the renderer can drop the one service whose template is bad. Pure.
import { pyFormatInto, pyFormatText, type PyValue } from './pyformat.js';

/** A template that does not format; caught per service by the renderer. */
export class RenderError extends Error {}

export function format(template: string, values: Readonly<Record<string, PyValue>>): string {
  const r = pyFormatText(template, values);
  if (typeof r !== 'string') throw new RenderError(r.message);
  return r;
}

/** format() appending the pieces of the text to `out` (joined later into one string). */
export function formatInto(out: string[], template: string, values: Readonly<Record<string, PyValue>>): void {
  const e = pyFormatInto(out, template, values);
  if (e) throw new RenderError(e.message);
}
