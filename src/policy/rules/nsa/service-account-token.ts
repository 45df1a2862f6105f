import { AdmissionCheck } from '../../admission-check';
import { podViewOf } from '../../pod-view';
import { PolicyObject } from '../../policy-object';
import { PolicyRule, RuleResult } from '../../rule';
import { Severity } from '../../severity';

/** Pods do not mount a service account token unless they need one. */
export class ServiceAccountTokenRule extends PolicyRule {
  public constructor() {
    super({
      id: 'NSA-SA-TOKEN',
      title: 'Pods do not mount a service account token',
      rationale: 'A mounted token lets anyone who compromises the pod call the API server as its service account.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Pod security — service account tokens',
      fix: 'Set automountServiceAccountToken: false on the pod spec (or on its ServiceAccount); mount a projected token only where the API is needed.',
      admission: AdmissionCheck.notExpressible('a pod that leaves automountServiceAccountToken unset is judged by its ServiceAccount, '
        + 'another object that the admission of the pod cannot read'),
    });
  }

  public evaluate(objects: PolicyObject[]): RuleResult[] {
    const accountsOff = new Set(objects
      .filter((o) => o.kind === 'ServiceAccount' && o.manifest.automountServiceAccountToken === false)
      .map((o) => `${o.namespace ?? ''}/${o.name}`));
    const results: RuleResult[] = [];
    for (const object of objects) {
      const pod = podViewOf(object.manifest);
      if (!pod) continue;
      const account = pod.spec.serviceAccountName ?? 'default';
      const podSetting = pod.spec.automountServiceAccountToken;
      const compliant = podSetting === false || (podSetting === undefined && accountsOff.has(`${object.namespace ?? ''}/${account}`));
      results.push({ object, compliant, message: compliant ? undefined : `the pod mounts the token of service account "${account}"` });
    }
    return results;
  }
}
