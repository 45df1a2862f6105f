import type { ISecret } from 'cdk8s-plus-27';
import { inputError, quote } from '../../core/errors';
import { checkInstance } from '../../core/prop-checks';

/**
 * Checks that a value names a Secret: a cdk8s-plus-27 Secret of the app or imported (`Secret.fromSecretName`), or a
 * declared `Prerequisite.secret` — anything whose kind is `Secret`. A ConfigMap, or a plain object with a name (and
 * perhaps a password beside it), is refused: its content would be mounted or read as if it were a Secret.
 */
export function checkSecret(where: string, what: string, value: unknown, example: string): ISecret {
  const expected = `a Secret (${example})`;
  const secret = checkInstance<ISecret>(where, what, value, 'name', expected);
  const kind = (secret as { kind?: unknown }).kind;
  if (kind !== 'Secret') {
    throw inputError(where, `${what} is ${typeof kind === 'string' ? `a ${quote(kind)}` : 'an object without a kind'}, not a Secret`, `pass ${expected}`);
  }
  return secret;
}
