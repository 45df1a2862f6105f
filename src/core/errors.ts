/**
 * An input error: what is wrong, where (the construct kind and path) and how to fix it.
 *
 * Every validator of the baseline takes a `where` string (for example `SecureDeployment shop/web`)
 * so that the error names the construct the bad value came from. The message never carries a secret:
 * validators that find one name its position and kind only.
 *
 * Exported for TypeScript and JavaScript (`instanceof InputError`, `where`, `problem`, `fix`) by lib/index.js
 * beside the jsii API (scripts/lazy-index.ts): jsii cannot model a subclass of `Error`, so in other languages
 * it is the message of the exception the runtime raises.
 */
export class InputError extends Error {
  /** The construct the bad value came from, e.g. `SecureDeployment shop/web`. */
  public readonly where: string;
  /** What is wrong with the value. */
  public readonly problem: string;
  /** How to fix it. */
  public readonly fix: string;

  public constructor(where: string, problem: string, fix: string) {
    super(`${where}: ${problem}; ${fix}`);
    this.name = 'InputError';
    this.where = where;
    this.problem = problem;
    this.fix = fix;
  }
}

/**
 * Builds an {@link InputError}.
 * @internal
 */
export function inputError(where: string, problem: string, fix: string): InputError {
  const error = new InputError(where, problem, fix);
  // The stack starts where the bad value was found (the validator), not in this factory.
  Error.captureStackTrace(error, inputError);
  return error;
}

/**
 * Quotes a user-supplied value for an error message (never call it on a value that may be a secret).
 * @internal
 */
export function quote(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
