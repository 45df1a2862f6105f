import { EnvValue, k8s } from 'cdk8s-plus-27';
import { describeCredential, findCredentials, inputError, quote } from '../baseline';
import { Plain } from '../baseline/plain';

/**
 * Converts cdk8s-plus-27 env values to low-level env vars, refusing literal credentials (the same detector
 * as NSA-CREDENTIALS: a literal for a name like *PASSWORD* or *TOKEN*, a known token shape, a password in a
 * URL or connection string) that would put a secret into the manifest. The error names where and what
 * kind, never the value.
 */
export function toKubeEnv(where: string, env: { [name: string]: EnvValue }): Plain<k8s.EnvVar>[] | undefined {
  const vars = Object.entries(env).map(([name, value]) => {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) {
      throw inputError(where, `environment variable name ${quote(name)} is invalid`, 'use letters, digits, "_", "-" and ".", not starting with a digit');
    }
    const literal = value.valueFrom === undefined ? value.value : undefined;
    const found = typeof literal === 'string' ? findCredentials(literal, { name }) : [];
    if (found.length) {
      throw inputError(
        where,
        `environment variable ${name} holds ${describeCredential(found[0])}, which would be written into the manifest in clear text`,
        'store it in a Secret and reference it with EnvValue.fromSecretValue({ secret, key })',
      );
    }
    return { name, value: literal, valueFrom: value.valueFrom };
  });
  return vars.length ? vars : undefined;
}
