// Coded errors shared by every room. Expected outcomes are values (see Result); a CodedError is
// for the unexpected, and each boundary maps it once (DNS rcode, CNI {code,msg,details}, HTTP).

export class CodedError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CodedError';
    this.code = code;
    this.details = Object.freeze({ ...details });
  }
  toJSON(): { code: string; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** A problem found in input: where (a JSON-ish path such as `slaves[2].resources.ports`) and what. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export type Result<T, E = Problem[]> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

export function isCodedError(e: unknown): e is CodedError {
  return e instanceof CodedError;
}

/** Render problems one per line, for a CLI or a log. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');
}
