// Result<T>: AssemblyScript has no exceptions, so every fallible step returns a Result and callers
// propagate errors explicitly. A contract's `error.ts` turns its error enum into the message that the
// entry point places in `{"error": "…"}`.

export class Result<T> {
  private constructor(private readonly okValue: T | null, readonly error: string | null) {}

  static ok<T>(value: T): Result<T> { return new Result<T>(value, null); }
  static err<T>(message: string): Result<T> { return new Result<T>(null, message); }

  get isOk(): bool { return this.error === null; }
  get isErr(): bool { return this.error !== null; }

  /** The value; only call after checking isOk. */
  get value(): T { return changetype<T>(this.okValue); }

  /** Re-types an error result so it can be returned from a function with another value type. */
  cast<U>(): Result<U> { return Result.err<U>(this.error !== null ? changetype<string>(this.error) : "unknown error"); }
}

/** Error text for results that carry an error (stable prefix = the error code). */
export function errorText(code: string, detail: string): string {
  return detail.length > 0 ? code + ": " + detail : code;
}
