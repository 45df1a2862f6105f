import { EnvValue, k8s } from 'cdk8s-plus-27';
import { inputError, isCredentialName, isCredentialValue, quote } from '../baseline';
import { Plain } from '../baseline/plain';

/**
 * Converts cdk8s-plus-27 env values to low-level env vars, refusing literal credentials: a literal for a
 * name like *PASSWORD* or *TOKEN*, or a URL with a password, would put a secret into the manifest.
 */
export function toKubeEnv(where: string, env: { [name: string]: EnvValue }): Plain<k8s.EnvVar>[] | undefined {
  const vars = Object.entries(env).map(([name, value]) => {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) {
      throw inputError(where, `environment variable name ${quote(name)} is invalid`, 'use letters, digits, "_", "-" and ".", not starting with a digit');
    }
    const literal = value.valueFrom === undefined ? value.value : undefined;
    if (typeof literal === 'string' && literal !== '' && (isCredentialName(name) || isCredentialValue(literal))) {
      throw inputError(
        where,
        `environment variable ${name} is a literal credential, which would be written into the manifest in clear text`,
        'store it in a Secret and reference it with EnvValue.fromSecretValue({ secret, key })',
      );
    }
    return { name, value: literal, valueFrom: value.valueFrom };
  });
  return vars.length ? vars : undefined;
}
