import { k8s } from 'cdk8s-plus-27';
import { inputError, quote } from '../../core/errors';
import { Plain } from '../../core/plain';
import { INT32_MAX } from '../../core/prop-checks';

/** The uid and gid workloads run as unless told otherwise: non-zero and outside the range of system accounts. */
export const DEFAULT_RUN_AS_ID = 10001;

/** The numeric identity a pod runs as. */
export interface RunAsIdentity {
  /** runAsUser. */
  readonly user: number;
  /** runAsGroup and fsGroup. */
  readonly group: number;
}

/** The uid and gid of Istio's sidecar proxy; iptables capture exempts its traffic (`--uid-owner 1337`, `--gid-owner 1337`). */
const MESH_PROXY_ID = 1337;

function validateId(where: string, what: string, id: number): number {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > INT32_MAX) {
    throw inputError(where, `${what} ${quote(id)} is not a valid id`, `use an integer from 1 to 2147483647 (default ${DEFAULT_RUN_AS_ID})`);
  }
  if (id === 0) {
    throw inputError(
      where,
      `${what} 0 is root`,
      `run as a non-zero id that the image supports (default ${DEFAULT_RUN_AS_ID}); if the image needs root, rebuild it with a numeric USER`,
    );
  }
  if (id === MESH_PROXY_ID) {
    throw inputError(
      where,
      `${what} ${MESH_PROXY_ID} is the id of Istio's sidecar proxy, whose traffic the sidecar never captures: the app would bypass the mesh's egress policy and mTLS`,
      `run as another id (default ${DEFAULT_RUN_AS_ID})`,
    );
  }
  return id;
}

/** Resolves and checks the uid/gid of a workload; 0 (root) is refused. */
export function resolveRunAsIdentity(where: string, user?: number, group?: number): RunAsIdentity {
  return {
    user: validateId(where, 'user', user ?? DEFAULT_RUN_AS_ID),
    group: validateId(where, 'group', group ?? user ?? DEFAULT_RUN_AS_ID),
  };
}

const RUNTIME_DEFAULT_SECCOMP: Plain<k8s.SeccompProfile> = { type: 'RuntimeDefault' };

/**
 * The pod security context: non-root with explicit ids, fsGroup, and the RuntimeDefault seccomp
 * profile (which cdk8s-plus-27 cannot express). A pod with persistent data gets `fsGroupChangePolicy:
 * OnRootMismatch`: the kubelet's default, a recursive chown and chmod on every start, is slow on large volumes and
 * resets the modes databases require of their files.
 */
export function podSecurityContext(identity: RunAsIdentity, persistentData: boolean = false): Plain<k8s.PodSecurityContext> {
  return {
    runAsNonRoot: true,
    runAsUser: identity.user,
    runAsGroup: identity.group,
    fsGroup: identity.group,
    ...(persistentData ? { fsGroupChangePolicy: 'OnRootMismatch' } : {}),
    seccompProfile: RUNTIME_DEFAULT_SECCOMP,
  };
}

/**
 * The container security context: non-root (repeated at container level, where some checkers look),
 * read-only root filesystem, no privilege escalation, not privileged, every capability dropped
 * (upper-case `ALL`, the only spelling Pod Security Admission accepts), RuntimeDefault seccomp.
 */
export function containerSecurityContext(identity: RunAsIdentity): Plain<k8s.SecurityContext> {
  return {
    runAsNonRoot: true,
    runAsUser: identity.user,
    runAsGroup: identity.group,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: RUNTIME_DEFAULT_SECCOMP,
  };
}
