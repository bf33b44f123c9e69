// Shared by the tolerant JSON codecs (mesos-state, mesos-events): what an object is, how a value's
// kind is named in a problem, and the exception that aborts decoding of one item (a codec catches
// it at its item boundary, reports {path, message} and skips that item). Pure.

export type Obj = Record<string, unknown>;

/** Aborts decoding of the current item; caught at the agent/framework/task/event boundary. */
export class Malformed extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

export function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new Malformed(path, `expected an object, got ${kind(v)}`);
  return v;
}
