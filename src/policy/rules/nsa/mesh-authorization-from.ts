import { PolicyObject } from '../../../k8s/policy-object';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ObjectCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

/** Source fields that name callers (any one of them narrows the source). */
const SOURCE_FIELDS = ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
  'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'];

/**
 * Istio ALLOW AuthorizationPolicies name who may call: a rule without `from` (or with an empty one, an empty source,
 * or only `*` principals or namespaces) admits every caller of the mesh, which undoes the peers the workload declared
 * for its NetworkPolicy. The allow-nothing policy (no rules) is the opposite and passes; DENY and CUSTOM policies are
 * not judged.
 */
export class MeshAuthorizationFromRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'NSA-MESH-AUTHZ-FROM',
      title: 'Istio ALLOW AuthorizationPolicies name the callers they admit',
      rationale: 'An ALLOW rule without sources admits every workload of the mesh, whatever the NetworkPolicies and the declared peers '
        + 'say: one layer names the callers and the other lets everybody in.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Network separation — least privilege between services',
      fix: 'Give every ALLOW rule a from with principals (cluster.local/ns/<ns>/sa/<sa>), namespaces or ipBlocks, and to with the ports.',
      constructFix: 'Place the workload (SecureDeployment, SecureStatefulSet, PostgresDatabase) in a DefaultDenyNamespace with a mesh and '
        + 'declare its callers with allowIngressFrom (or a database\'s allowFrom): its AuthorizationPolicy names the same peers.',
      admission: AdmissionCheck.notExpressible('judges an Istio custom resource, which the admission policies do not match'),
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    if (object.kind !== 'AuthorizationPolicy' || !object.apiVersion.startsWith('security.istio.io/')) return undefined;
    const spec = object.manifest.spec ?? {};
    const action = typeof spec.action === 'string' ? spec.action.toUpperCase() : 'ALLOW';
    if (action !== 'ALLOW') return undefined;
    const rules: any[] = Array.isArray(spec.rules) ? spec.rules : [];
    return rules.flatMap((rule, i) => {
      const from: any[] = Array.isArray(rule?.from) ? rule.from : [];
      if (from.length === 0) return [`rules[${i}] has no from: it admits every caller of the mesh`];
      return from.flatMap((entry, j) => {
        const source = entry?.source ?? {};
        const named = SOURCE_FIELDS.filter((field) => Array.isArray(source[field]) && source[field].length > 0);
        if (named.length === 0) return [`rules[${i}].from[${j}] has an empty source: it admits every caller of the mesh`];
        const everyone = ['principals', 'namespaces'].filter((field) => Array.isArray(source[field]) && source[field].includes('*'));
        return everyone.length && named.every((field) => everyone.includes(field))
          ? [`rules[${i}].from[${j}] admits ${everyone.map((field) => `every ${field === 'principals' ? 'principal' : 'namespace'}`).join(' and ')} ("*")`]
          : [];
      });
    });
  }
}
