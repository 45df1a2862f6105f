// One version of an app that runs beside another (CanaryPair's stable and canary, BlueGreenDeployment's slots): the
// check of what plain JavaScript may pass, and what makes two versions different.
import type { ContainerResources, EnvValue } from 'cdk8s-plus-27';
import { inputError } from '../../core/errors';
import { checkInstance, checkInteger, checkPropsObject, checkString, checkStringList, PropKeys } from '../../core/prop-checks';

/** The fields a version has (CanaryVersion and BlueGreenVersion alike). */
export interface WorkloadVersion {
  readonly image: string;
  readonly replicas?: number;
  readonly env?: { [name: string]: EnvValue };
  readonly args?: string[];
  readonly resources?: ContainerResources;
}

/** Checks a version as plain JavaScript may pass it: an object with an image, whole replicas, EnvValue env values. */
export function checkVersion<T extends WorkloadVersion>(
  where: string, track: string, given: unknown, defaultReplicas: number, known: PropKeys<T>,
): T {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw inputError(
      where,
      `${track} is ${given === undefined ? 'missing' : given === null ? 'null' : Array.isArray(given) ? 'a list' : `a ${typeof given}`}, not a version`,
      `pass ${track} as an object, e.g. { image: "registry.example.com/app:1.0.0", replicas: ${defaultReplicas} }`,
    );
  }
  const version = checkPropsObject(where, given as T, known, track);
  checkString(where, `${track}.image`, version.image);
  if (version.replicas !== undefined) checkInteger(where, `${track}.replicas`, version.replicas, { min: 1 });
  if (version.args !== undefined) checkStringList(where, `${track}.args`, version.args);
  if (version.env !== undefined) {
    if (version.env === null || typeof version.env !== 'object' || Array.isArray(version.env)) {
      throw inputError(where, `${track}.env is ${Array.isArray(version.env) ? 'a list' : `a ${version.env === null ? 'null' : typeof version.env}`}, not a map of EnvValues`, `pass ${track}.env as { NAME: EnvValue.fromValue("…") }`);
    }
    for (const [key, value] of Object.entries(version.env)) {
      checkInstance<EnvValue>(where, `${track}.env.${key}`, value, 'valueFrom', 'an EnvValue (EnvValue.fromValue(...), EnvValue.fromSecretValue(...))');
    }
  }
  if (version.resources !== undefined && (version.resources === null || typeof version.resources !== 'object' || Array.isArray(version.resources))) {
    throw inputError(where, `${track}.resources is not an object`, `pass ${track}.resources as { cpu: { request: Cpu.millis(100) }, memory: … }`);
  }
  return version;
}

/** What makes two versions different: if nothing does, the pair is a mistake. */
export function versionIdentity(version: WorkloadVersion): unknown {
  const env = Object.entries(version.env ?? {}).map(([k, v]) => [k, v.value, v.valueFrom]);
  const resources = version.resources && JSON.stringify(version.resources, (_, v) => (v && v.amount !== undefined ? v.amount : v));
  return [version.image, env, version.args, resources];
}
