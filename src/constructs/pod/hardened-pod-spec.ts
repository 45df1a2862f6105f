import { k8s } from 'cdk8s-plus-27';
import { containerSecurityContext, podSecurityContext, RunAsIdentity } from './security-context';
import { inputError, quote } from '../../core/errors';
import { Plain } from '../../core/plain';
import { checkString, checkStringList } from '../../core/prop-checks';
import { shortHash } from '../base/derived-name';

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
  /**
   * The pod keeps data on persistent volumes: the kubelet then changes their ownership to the fsGroup only when the
   * volume's root does not match (a recursive change on every start is slow on large volumes, and databases check
   * the permissions of their files).
   */
  readonly persistentData?: boolean;
}

/**
 * Checks a mount path and returns it normalized (no trailing or doubled `/`): absolute, below `/`, without
 * `..` segments or `:` (the API server refuses both).
 */
export function validateMountPath(where: string, what: string, path: unknown): string {
  const text = checkString(where, what, path);
  const normalized = text.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
  if (!normalized.startsWith('/') || normalized === '/' || normalized.split('/').includes('..') || normalized.includes(':')) {
    throw inputError(where, `${what} ${quote(text)} is not an absolute directory below /`, 'use a path such as "/var/cache/app" (no "..", no ":")');
  }
  return normalized;
}

function scratchVolumeName(path: string, taken: Set<string>): string {
  const slug = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const name = `scratch-${slug}`.slice(0, 63).replace(/-+$/, '');
  // Different paths can share a slug (/var/a-b and /var/a/b): a hash of the path keeps their volumes apart.
  return taken.has(name) ? `${name.slice(0, 54).replace(/-+$/, '')}-${shortHash(path)}` : name;
}

function writableMounts(where: string, extraPaths: unknown): Array<{ volume: Plain<k8s.Volume>; mount: Plain<k8s.VolumeMount> }> {
  const paths = checkStringList(where, 'writablePaths', extraPaths).map((p, i) => validateMountPath(where, `writablePaths[${i}]`, p));
  const names = new Set<string>();
  return [TMP_PATH, ...paths.filter((p) => p !== TMP_PATH)].map((path) => {
    const name = scratchVolumeName(path, names);
    names.add(name);
    return { volume: { name, emptyDir: {} }, mount: { name, mountPath: path } };
  });
}

/** Refuses two mounts on one path in a container (the API server refuses them; a config mount would hide a writable one). */
function checkDistinctMounts(where: string, mounts: Plain<k8s.VolumeMount>[]): void {
  const seen = new Map<string, string>();
  for (const mount of mounts) {
    const other = seen.get(mount.mountPath);
    if (other !== undefined) {
      throw inputError(
        where,
        `two volumes are mounted on ${quote(mount.mountPath)} (${other} and ${mount.name})`,
        'give each mount its own path: a configuration directory cannot also be a writable path, and a writable path is listed once',
      );
    }
    seen.set(mount.mountPath, mount.name);
  }
}

/**
 * The hardened pod spec: the baseline's pod and container security contexts, no service account
 * token, no service links, images pulled on every start, and an emptyDir for /tmp (and each extra
 * writable path) in every container, because the root filesystem is read-only.
 */
export function hardenedPodSpec(where: string, input: HardenedPodSpecInput): Plain<k8s.PodSpec> {
  const scratch = writableMounts(where, input.writablePaths ?? []);
  const securityContext = containerSecurityContext(input.identity);
  const containers = input.containers.map((container) => {
    const volumeMounts = [...scratch.map((s) => s.mount), ...(container.volumeMounts ?? [])];
    checkDistinctMounts(where, volumeMounts);
    return { ...container, imagePullPolicy: 'Always', securityContext, volumeMounts };
  });
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    serviceAccountName: input.serviceAccountName,
    securityContext: podSecurityContext(input.identity, input.persistentData ?? false),
    priorityClassName: input.priorityClassName,
    imagePullSecrets: input.imagePullSecrets?.map((name) => ({ name })),
    restartPolicy: input.restartPolicy,
    topologySpreadConstraints: input.topologySpreadConstraints,
    containers,
    volumes: [...scratch.map((s) => s.volume), ...(input.volumes ?? [])],
  };
}
