import { PolicyObject } from '../../../k8s/policy-object';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ObjectCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

/** mTLS modes that accept plaintext. */
const WEAK_MODES = new Set(['PERMISSIVE', 'DISABLE']);

/**
 * Istio PeerAuthentications keep mutual TLS STRICT: a namespace-wide or workload-wide PERMISSIVE or DISABLE accepts
 * plaintext from anyone the NetworkPolicies admit, without the peer identity the AuthorizationPolicies judge. A
 * port-level PERMISSIVE is accepted with a workload selector (the scrape port of a Prometheus outside the mesh, which
 * PostgresDatabase and the workloads write with `metrics`); a port-level DISABLE is not, and `portLevelMtls` without a
 * selector is a finding: Istio ignores it there, so it does not do what it says.
 */
export class MeshMtlsStrictRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'NSA-MESH-MTLS',
      title: 'Istio PeerAuthentications keep mutual TLS STRICT',
      rationale: 'A PERMISSIVE or DISABLE mode accepts plaintext connections: no encryption on the wire and no peer identity, so the '
        + 'AuthorizationPolicies that name ServiceAccount principals cannot tell callers apart.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Network separation — encrypt traffic in the cluster (service mesh mTLS)',
      fix: 'Set spec.mtls.mode to STRICT (or leave it unset under a STRICT namespace policy); open a single scrape port with '
        + 'portLevelMtls PERMISSIVE and a workload selector.',
      constructFix: 'Use DefaultDenyNamespace with mesh: NamespaceMesh.istioSidecar() (or istioAmbient()), which writes a STRICT '
        + 'PeerAuthentication; a Prometheus outside the mesh gets the port-level exception the workload writes with metrics.',
      admission: AdmissionCheck.notExpressible('judges an Istio custom resource, which the admission policies do not match'),
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    if (object.kind !== 'PeerAuthentication' || !object.apiVersion.startsWith('security.istio.io/')) return undefined;
    const spec = object.manifest.spec ?? {};
    const problems: string[] = [];
    const mode = typeof spec.mtls?.mode === 'string' ? spec.mtls.mode.toUpperCase() : undefined;
    if (mode && WEAK_MODES.has(mode)) {
      problems.push(`mtls.mode is ${mode}: ${spec.selector ? 'the workloads it selects accept' : 'every workload of the namespace accepts'} plaintext`);
    }
    const ports = spec.portLevelMtls && typeof spec.portLevelMtls === 'object' ? Object.entries(spec.portLevelMtls) : [];
    if (ports.length && !spec.selector) problems.push('portLevelMtls has no workload selector, and Istio applies port-level modes only with one');
    for (const [port, setting] of ports) {
      const portMode = typeof (setting as any)?.mode === 'string' ? (setting as any).mode.toUpperCase() : undefined;
      if (portMode === 'DISABLE') problems.push(`portLevelMtls ${port} is DISABLE: the port accepts only plaintext`);
    }
    return problems;
  }
}
