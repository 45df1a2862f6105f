/**
 * Builds the message of an input error: what is wrong, where (the construct path) and how to fix it.
 *
 * Every validator of the baseline takes a `where` string (for example `SecureDeployment shop/web`)
 * so that the error names the construct the bad value came from.
 */
export function inputError(where: string, problem: string, fix: string): Error {
  return new Error(`${where}: ${problem}; ${fix}`);
}

/** Quotes a user-supplied value for an error message. */
export function quote(value: unknown): string {
  return JSON.stringify(value);
}
