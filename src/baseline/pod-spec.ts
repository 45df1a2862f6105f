import { k8s } from 'cdk8s-plus-27';
import { inputError, quote } from './errors';
import { Plain } from './plain';
import { containerSecurityContext, podSecurityContext, RunAsIdentity } from './security-context';

/** Scratch space every container gets, because its root filesystem is read-only. */
export const TMP_PATH = '/tmp';

/** What a construct decides about its pod; the baseline decides the rest. */
export interface HardenedPodSpecInput {
  /** The uid/gid of every container. */
  readonly identity: RunAsIdentity;
  /** The containers, without security context: the baseline sets it. */
  readonly containers: Plain<k8s.Container>[];
  /** Volumes besides the writable scratch space. */
  readonly volumes?: Plain<k8s.Volume>[];
  /** Writable paths besides /tmp, each an emptyDir mounted into every container. */
  readonly writablePaths?: string[];
  /** The pod's service account; its token is never mounted. */
  readonly serviceAccountName?: string;
  /** Names of image pull secrets. */
  readonly imagePullSecrets?: string[];
  /** Priority class. */
  readonly priorityClassName?: string;
  /** Topology spread constraints. */
  readonly topologySpreadConstraints?: Plain<k8s.TopologySpreadConstraint>[];
  /** Restart policy (Jobs need `Never` or `OnFailure`). */
  readonly restartPolicy?: string;
}

function scratchVolumeName(path: string): string {
  const slug = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `scratch-${slug}`.slice(0, 63).replace(/-+$/, '');
}

function writableMounts(where: string, extraPaths: string[]): Array<{ volume: Plain<k8s.Volume>; mount: Plain<k8s.VolumeMount> }> {
  const paths = [TMP_PATH, ...extraPaths.filter((p) => p !== TMP_PATH)];
  const seen = new Set<string>();
  return paths.map((path) => {
    if (!path.startsWith('/') || path === '/' || path.includes('..') || path.includes(':')) {
      throw inputError(where, `writable path ${quote(path)} is not an absolute directory below /`, 'use a path such as "/var/cache/app"');
    }
    const name = scratchVolumeName(path);
    if (seen.has(name)) {
      throw inputError(where, `writable path ${quote(path)} is listed twice`, 'list each writable path once');
    }
    seen.add(name);
    return { volume: { name, emptyDir: {} }, mount: { name, mountPath: path } };
  });
}

/**
 * The hardened pod spec: the baseline's pod and container security contexts, no service account
 * token, no service links, images pulled on every start, and an emptyDir for /tmp (and each extra
 * writable path) in every container, because the root filesystem is read-only.
 */
export function hardenedPodSpec(where: string, input: HardenedPodSpecInput): Plain<k8s.PodSpec> {
  const scratch = writableMounts(where, input.writablePaths ?? []);
  const securityContext = containerSecurityContext(input.identity);
  const containers = input.containers.map((container) => ({
    ...container,
    imagePullPolicy: 'Always',
    securityContext,
    volumeMounts: [...scratch.map((s) => s.mount), ...(container.volumeMounts ?? [])],
  }));
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    serviceAccountName: input.serviceAccountName,
    securityContext: podSecurityContext(input.identity),
    priorityClassName: input.priorityClassName,
    imagePullSecrets: input.imagePullSecrets?.map((name) => ({ name })),
    restartPolicy: input.restartPolicy,
    topologySpreadConstraints: input.topologySpreadConstraints,
    containers,
    volumes: [...scratch.map((s) => s.volume), ...(input.volumes ?? [])],
  };
}
