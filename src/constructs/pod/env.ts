import { EnvValue, k8s } from 'cdk8s-plus-27';
import { inputError, quote } from '../../core/errors';
import { validateDataKey, validateDnsSubdomain } from '../../core/names';
import { Plain } from '../../core/plain';
import { checkInstance, checkStringMap } from '../../core/prop-checks';
import { describeCredential, findCredentials } from '../../parsers/credentials';

/**
 * Converts cdk8s-plus-27 env values to low-level env vars, refusing literal credentials (the same detector
 * as NSA-CREDENTIALS: a literal for a name like *PASSWORD* or *TOKEN*, a known token shape, a password in a
 * URL or connection string) that would put a secret into the manifest. The error names where and what
 * kind, never the value. References to Secrets and ConfigMaps are checked as the API server checks them.
 */
export function toKubeEnv(where: string, env: { [name: string]: EnvValue }): Plain<k8s.EnvVar>[] | undefined {
  if (env === null || typeof env !== 'object' || Array.isArray(env)) checkStringMap(where, 'env', env);
  const vars = Object.entries(env).map(([name, given]) => {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) {
      throw inputError(where, `environment variable name ${quote(name)} is invalid`, 'use letters, digits, "_", "-" and ".", not starting with a digit');
    }
    const value = checkInstance<EnvValue>(where, `env ${name}`, given, 'valueFrom', 'an EnvValue (EnvValue.fromValue(...) or EnvValue.fromSecretValue(...))');
    const literal = value.valueFrom === undefined ? value.value : undefined;
    if (literal !== undefined && typeof literal !== 'string') {
      throw inputError(where, `environment variable ${name} has a ${typeof literal} value, not a string`, 'pass EnvValue.fromValue("...") with a string');
    }
    const found = literal === undefined ? [] : findCredentials(literal, { name });
    if (found.length) {
      throw inputError(
        where,
        `environment variable ${name} holds ${describeCredential(found[0])}, which would be written into the manifest in clear text`,
        'store it in a Secret and reference it with EnvValue.fromSecretValue({ secret, key })',
      );
    }
    checkReference(where, name, value.valueFrom);
    return { name, value: literal, valueFrom: value.valueFrom };
  });
  return vars.length ? vars : undefined;
}

function checkReference(where: string, name: string, valueFrom: any): void {
  const ref = valueFrom?.secretKeyRef ?? valueFrom?.configMapKeyRef;
  if (!ref) return;
  const kind = valueFrom.secretKeyRef ? 'Secret' : 'ConfigMap';
  validateDnsSubdomain(where, `the ${kind} name of environment variable ${name}`, String(ref.name ?? ''));
  validateDataKey(where, `environment variable ${name} reads ${kind} key`, ref.key);
}
