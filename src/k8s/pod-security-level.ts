/**
 * Pod Security Standards levels, as the `pod-security.kubernetes.io/enforce` label of Pod Security Admission
 * spells them.
 */
export enum PodSecurityLevel {
  /** Current pod hardening best practice: baseline plus restrictions on users, capabilities, seccomp and volumes. */
  RESTRICTED = 'restricted',
  /** Blocks known privilege escalations only. */
  BASELINE = 'baseline',
  /** No restrictions. */
  PRIVILEGED = 'privileged',
}
