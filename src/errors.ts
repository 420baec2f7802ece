/**
 * Errors shown to users: a code, where it happened and what went wrong, never a stack trace.
 * Shaped like zod's issues so schema errors and our own read the same.
 */
export interface ExitworkError {
  readonly code: string;
  /** File, fixture, option or field the error is about. */
  readonly path: string;
  readonly message: string;
}

export class ExitworkFailure extends Error {
  constructor(readonly error: ExitworkError) {
    super(formatError(error));
    this.name = "ExitworkFailure";
  }
}

export function fail(code: string, path: string, message: string): never {
  throw new ExitworkFailure({ code, path, message });
}

export function formatError(error: ExitworkError): string {
  return `exitwork: ${error.code}: ${error.path}: ${error.message}`;
}
