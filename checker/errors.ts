// Errors that carry their own exit code: bad input is 2 (a violation is 1 and
// is a result, not an error).

/** The user asked for something that does not exist or is out of range. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}

/** Which action wrote it, by name: the command line tells a user's design file from the built-in model by it. */
export interface ViolationOrigin { readonly model: string; readonly design: string; readonly action: string }

/** An effect wrote a value outside its variable's domain: a bug in the model, named precisely. */
export class SchemaViolation extends Error {
  override name = 'SchemaViolation';
  constructor(readonly action: string, readonly variable: string, readonly value: number, readonly accepted: string, readonly origin?: ViolationOrigin) {
    super(`action ${action} wrote ${variable} = ${value}, outside its domain ${accepted}`);
  }
}

/** The fingerprint store reached its memory limit. The run stops and says so; no state is dropped. */
export class StoreFullError extends Error {
  override name = 'StoreFullError';
}
