import { AdmissionCheck } from '../../admission-check';
import { podViewOf } from '../../pod-view';
import { PolicyObject } from '../../policy-object';
import { PolicyRule, RuleResult } from '../../rule';
import { Severity } from '../../severity';

/**
 * Pods do not mount a service account token unless they need one: a pod may mount the token of a ServiceAccount
 * that a RoleBinding or ClusterRoleBinding of the set binds (the app granted it API access, e.g. with
 * SecureDeployment's `grant`, and the RBAC rules judge that grant); any other mounted token is flagged.
 */
export class ServiceAccountTokenRule extends PolicyRule {
  public constructor() {
    super({
      id: 'NSA-SA-TOKEN',
      title: 'Pods do not mount a service account token',
      rationale: 'A mounted token lets anyone who compromises the pod call the API server as its service account.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Pod security — service account tokens',
      fix: 'Set automountServiceAccountToken: false on the pod spec (or on its ServiceAccount); mount a token only where the API is needed, and grant that access with a RoleBinding (SecureDeployment.grant).',
      admission: AdmissionCheck.notExpressible('a pod that leaves automountServiceAccountToken unset is judged by its ServiceAccount, '
        + 'another object that the admission of the pod cannot read'),
    });
  }

  public evaluate(objects: PolicyObject[]): RuleResult[] {
    const accountsOff = new Set(objects
      .filter((o) => o.kind === 'ServiceAccount' && o.manifest.automountServiceAccountToken === false)
      .map((o) => `${o.namespace ?? ''}/${o.name}`));
    const accountsBound = new Set(objects
      .filter((o) => (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && o.apiVersion.startsWith('rbac.authorization.k8s.io/'))
      .flatMap((o) => (Array.isArray(o.manifest.subjects) ? o.manifest.subjects : [])
        .filter((s: any) => s?.kind === 'ServiceAccount' && typeof s.name === 'string')
        .map((s: any) => `${s.namespace ?? o.namespace ?? ''}/${s.name}`)));
    const results: RuleResult[] = [];
    for (const object of objects) {
      const pod = podViewOf(object.manifest);
      if (!pod) continue;
      const account = pod.spec.serviceAccountName ?? 'default';
      const podSetting = pod.spec.automountServiceAccountToken;
      const key = `${object.namespace ?? ''}/${account}`;
      const compliant = podSetting === false || (podSetting === undefined && accountsOff.has(key)) || accountsBound.has(key);
      results.push({ object, compliant, message: compliant ? undefined : `the pod mounts the token of service account "${account}"` });
    }
    return results;
  }
}
