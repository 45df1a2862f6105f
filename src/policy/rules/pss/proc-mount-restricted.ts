import { DEFAULT_PROC_MOUNT, nonDefaultProcMounts } from './proc-mount';
import { inUserNamespace, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { IN_USER_NAMESPACE, unless } from '../../rule-api/cel';
import { Severity } from '../../rule-api/severity';

/**
 * Containers use the default /proc mount even in a user namespace (upstream check
 * `procMount_restricted`, new in v1.35, overriding the baseline `procMount` under restricted).
 * PSS-PROC-MOUNT already reports every other pod, so this rule judges only the pods it relaxes
 * (`hostUsers: false`), and applies to nothing before v1.35.
 */
export class ProcMountRestrictedRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-PROC-MOUNT-RESTRICTED',
      title: 'Containers use the default /proc mount, in a user namespace too',
      rationale: 'A user namespace limits what an unmasked /proc exposes, but restricted keeps the runtime masks as a second layer.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): /proc Mount Type',
      fix: 'Remove securityContext.procMount (or set it to Default), also in pods with hostUsers: false.',
      admission: AdmissionCheck.podSpec(version.since(35) ? [unless(`!(${IN_USER_NAMESPACE})`, DEFAULT_PROC_MOUNT)] : []),
    }, version);
  }

  protected judgesPods(): boolean {
    return this.version.since(35);
  }

  protected checkPod(pod: PodView): string[] {
    if (!inUserNamespace(pod)) return [];
    return nonDefaultProcMounts(pod).map((m) => `${m} (restricted allows only Default, also with hostUsers: false)`);
  }
}
