import { inputError, quote } from '../../core/errors';
import { checkOptionalString, checkPropsObject, PropKeys } from '../../core/prop-checks';

/** How Istio carries the traffic of a namespace's pods. */
export enum MeshDataplane {
  /** An injected istio-proxy sidecar in every pod (`istio-injection: enabled`, or `istio.io/rev`). */
  SIDECAR = 'sidecar',
  /** Ambient mode: the node's ztunnel carries L4 traffic (`istio.io/dataplane-mode: ambient`); L7 needs a waypoint. */
  AMBIENT = 'ambient',
}

/** Options of `NamespaceMesh.istioSidecar`. */
export interface IstioSidecarMeshOptions {
  /**
   * The mesh's trust domain: the first part of every workload principal (`<trustDomain>/ns/<namespace>/sa/<serviceAccount>`),
   * as istiod's `meshConfig.trustDomain` sets it.
   * @default "cluster.local"
   */
  readonly trustDomain?: string;
  /**
   * The istiod revision that injects the sidecars (label `istio.io/rev: <revision>` instead of `istio-injection: enabled`,
   * for revision-based installs and canary upgrades of the control plane).
   * @default - the default revision (`istio-injection: enabled`)
   */
  readonly revision?: string;
}

/** Options of `NamespaceMesh.istioAmbient`. */
export interface IstioAmbientMeshOptions {
  /**
   * The mesh's trust domain: the first part of every workload principal.
   * @default "cluster.local"
   */
  readonly trustDomain?: string;
}

const SIDECAR_OPTIONS: PropKeys<IstioSidecarMeshOptions> = { trustDomain: true, revision: true };
const AMBIENT_OPTIONS: PropKeys<IstioAmbientMeshOptions> = { trustDomain: true };
const DEFAULT_TRUST_DOMAIN = 'cluster.local';
/** A trust domain as SPIFFE allows it: lower-case letters, digits, dots, dashes and underscores. */
const TRUST_DOMAIN = /^[a-z0-9._-]{1,255}$/;
/** An istiod revision: a DNS label (it becomes part of the istiod Service's name). */
const REVISION = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The service mesh of a DefaultDenyNamespace (`mesh` prop): which Istio dataplane carries its pods' traffic, and the trust
 * domain their identities are in.
 *
 * With a mesh the namespace gets the label that puts its pods in the mesh, a namespace-wide PeerAuthentication with
 * `mtls.mode: STRICT` and an allow-nothing AuthorizationPolicy (empty spec), so that the mesh denies by default as the
 * NetworkPolicies do; each workload placed in the namespace (`namespace: ns`) gets an ALLOW AuthorizationPolicy from the
 * same peers its NetworkPolicy admits (see SecureDeployment's `allowIngressFrom`).
 *
 * Pod Security restricted forbids the `istio-init` container (NET_ADMIN, NET_RAW): the sidecar dataplane needs Istio's CNI
 * node agent (`istio-cni`, e.g. `--set components.cni.enabled=true`), which ambient mode always uses.
 */
export class NamespaceMesh {
  /**
   * Istio with injected sidecars. HTTP-level rules are enforced by each pod's proxy.
   * @param options the trust domain and the injecting revision
   */
  public static istioSidecar(options: IstioSidecarMeshOptions = {}): NamespaceMesh {
    return new NamespaceMesh(MeshDataplane.SIDECAR, (where) => {
      const checked = checkPropsObject(where, options, SIDECAR_OPTIONS, 'the options of NamespaceMesh.istioSidecar');
      const revision = checkOptionalString(where, 'revision of NamespaceMesh.istioSidecar', checked.revision);
      if (revision !== undefined && !REVISION.test(revision)) {
        throw inputError(where, `revision ${quote(revision)} of NamespaceMesh.istioSidecar is not an istiod revision name (a DNS label)`, 'use the revision istiod was installed with, e.g. "1-30-3"');
      }
      return { trustDomain: trustDomain(where, 'NamespaceMesh.istioSidecar', checked.trustDomain), revision };
    });
  }

  /**
   * Istio ambient mode: ztunnel enforces mTLS and L4 authorization (principals, namespaces, ports). HTTP-level rules
   * (methods, paths, hosts) are not enforced without a waypoint proxy, so the library refuses them here. The namespace's
   * NetworkPolicies must admit ztunnel's HBONE port 15008, which then bypasses their port rules (the AuthorizationPolicy's
   * ports keep holding): workloads in the namespace add that rule to their NetworkPolicy.
   * @param options the trust domain
   */
  public static istioAmbient(options: IstioAmbientMeshOptions = {}): NamespaceMesh {
    return new NamespaceMesh(MeshDataplane.AMBIENT, (where) => {
      const checked = checkPropsObject(where, options, AMBIENT_OPTIONS, 'the options of NamespaceMesh.istioAmbient');
      return { trustDomain: trustDomain(where, 'NamespaceMesh.istioAmbient', checked.trustDomain) };
    });
  }

  private resolved?: { trustDomain: string; revision?: string };

  private constructor(
    /** The dataplane. */
    public readonly dataplane: MeshDataplane,
    private readonly resolve: (where: string) => { trustDomain: string; revision?: string },
  ) {}

  /**
   * Checks the options once, naming the construct that uses the mesh.
   * @internal
   */
  public _resolve(where: string): { readonly trustDomain: string; readonly revision?: string } {
    this.resolved ??= this.resolve(where);
    return this.resolved;
  }

  /**
   * The namespace labels that put its pods in the mesh.
   * @internal
   */
  public _namespaceLabels(where: string): { [key: string]: string } {
    if (this.dataplane === MeshDataplane.AMBIENT) return { 'istio.io/dataplane-mode': 'ambient' };
    const { revision } = this._resolve(where);
    return revision === undefined ? { 'istio-injection': 'enabled' } : { 'istio.io/rev': revision };
  }

  /**
   * The principal of a ServiceAccount, as Istio writes it in `source.principals`.
   * @internal
   */
  public _principal(where: string, namespace: string, serviceAccount: string): string {
    return `${this._resolve(where).trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
  }
}

function trustDomain(where: string, what: string, given: unknown): string {
  const value = checkOptionalString(where, `trustDomain of ${what}`, given) ?? DEFAULT_TRUST_DOMAIN;
  if (!TRUST_DOMAIN.test(value)) {
    throw inputError(where, `trustDomain ${quote(value)} of ${what} is not a trust domain (lower-case letters, digits, ".", "-", "_")`, `use the mesh's meshConfig.trustDomain, e.g. "${DEFAULT_TRUST_DOMAIN}"`);
  }
  return value;
}
