import { ApiObject, JsonPatch } from 'cdk8s';
import { INamespaceSelector, NamespaceSelectorConfig } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DnsEgress } from './dns-egress';
import { inputError, quote } from '../../core/errors';
import { NAMESPACE_NAME_LABEL, recommendedLabels } from '../../core/labels';
import { validateDnsLabel, validateLabels } from '../../core/names';
import { checkInstance, checkInteger, checkOptionalBoolean, checkOptionalString, checkPropsObject, checkString, checkStringMap, PropKeys } from '../../core/prop-checks';
import { kube } from '../../k8s/objects';
import { PodSecurityLevel } from '../../k8s/pod-security-level';
import { PodSecurityVersion } from '../../k8s/pod-security-version';
import { validateQuantity } from '../../k8s/quantity';
import { HardenedConstruct } from '../base/hardened-construct';
import { MeshDataplane, NamespaceMesh } from '../base/namespace-mesh';
import { INamespaceRef } from '../base/namespace-ref';
import { DEFAULT_RESOURCES } from '../pod/resources';

/** Bounds of a namespace's ResourceQuota. */
export interface NamespaceQuotaOptions {
  /**
   * Sum of CPU requests.
   * @default "4"
   */
  readonly requestsCpu?: string;
  /**
   * Sum of CPU limits.
   * @default "8"
   */
  readonly limitsCpu?: string;
  /**
   * Sum of memory requests.
   * @default "8Gi"
   */
  readonly requestsMemory?: string;
  /**
   * Sum of memory limits.
   * @default "16Gi"
   */
  readonly limitsMemory?: string;
  /**
   * Sum of ephemeral-storage limits.
   * @default "20Gi"
   */
  readonly limitsEphemeralStorage?: string;
  /**
   * Number of pods.
   * @default 50
   */
  readonly pods?: number;
  /**
   * Number of PersistentVolumeClaims.
   * @default 10
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Number of Services of type LoadBalancer.
   * @default 0
   */
  readonly loadBalancers?: number;
  /**
   * Number of Services of type NodePort.
   * @default 0
   */
  readonly nodePorts?: number;
}

/** Props of {@link DefaultDenyNamespace}. */
export interface DefaultDenyNamespaceProps {
  /** The namespace name (a DNS-1123 label). */
  readonly name: string;
  /**
   * The Pod Security Standards level that Pod Security Admission enforces, audits and warns about.
   * A level weaker than restricted also needs `acceptWeakerPodSecurity`, and is then a PSS-NAMESPACE-LEVEL
   * finding of the restricted pack: acknowledge it on this construct with the reason.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurityLevel?: PodSecurityLevel;
  /**
   * Confirms a `podSecurityLevel` weaker than restricted.
   * @default false
   */
  readonly acceptWeakerPodSecurity?: boolean;
  /**
   * The Pod Security Standards version the `-version` labels pin (e.g. "v1.33"), so that a cluster
   * upgrade does not change what is admitted.
   *
   * The default is the newest version the policy packs judge at
   * (`PolicyPack.RESTRICTED`). An API server older than the pin accepts it and judges at its own newest
   * checks, as it would `latest`; pin your cluster's minor (and judge at it with
   * `PolicyPack.restricted({ version })`) to hold what is admitted across upgrades.
   * @default "v1.37"
   */
  readonly podSecurityVersion?: string;
  /**
   * Where pods may resolve names.
   * @default DnsEgress.kubeDns()
   */
  readonly dns?: DnsEgress;
  /**
   * The ResourceQuota's bounds.
   * @default - the defaults of each field
   */
  readonly quota?: NamespaceQuotaOptions;
  /**
   * Labels added to the Namespace.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The service mesh of the namespace's pods: the label that puts them in it, a namespace-wide PeerAuthentication with
   * `mtls.mode: STRICT` and an allow-nothing AuthorizationPolicy, so that the mesh denies by default as the NetworkPolicies
   * do. Workloads given this namespace (`namespace: ns`) get an ALLOW AuthorizationPolicy from their ingress peers.
   * @default - no mesh (the mesh labels may still be set through `labels`, without the policies)
   */
  readonly mesh?: NamespaceMesh;
}

const DEFAULT_DENY_NAMESPACE_PROPS: PropKeys<DefaultDenyNamespaceProps> = {
  name: true, podSecurityLevel: true, acceptWeakerPodSecurity: true, podSecurityVersion: true, dns: true, quota: true, labels: true, mesh: true,
};
const NAMESPACE_QUOTA_OPTIONS: PropKeys<NamespaceQuotaOptions> = {
  requestsCpu: true,
  limitsCpu: true,
  requestsMemory: true,
  limitsMemory: true,
  limitsEphemeralStorage: true,
  pods: true,
  persistentVolumeClaims: true,
  loadBalancers: true,
  nodePorts: true,
};

/**
 * A namespace that denies by default: Pod Security Admission enforcing the restricted profile, a
 * NetworkPolicy denying all ingress and egress (DNS excepted), a ResourceQuota with no LoadBalancer or
 * NodePort Services, a LimitRange with default requests and limits, and a `default` ServiceAccount
 * that mounts no token.
 *
 * Pass it where a construct takes a namespace (`INamespaceRef`) or a cdk8s-plus-27 namespace selector.
 */
export class DefaultDenyNamespace extends HardenedConstruct implements INamespaceRef, INamespaceSelector {
  /** The namespace name. */
  public readonly namespaceName: string;
  /** The Pod Security Standards level enforced. */
  public readonly podSecurityLevel: PodSecurityLevel;
  /** The Namespace. */
  public readonly namespace: ApiObject;
  /** The NetworkPolicy denying all traffic of every pod. */
  public readonly defaultDeny: ApiObject;
  /** The NetworkPolicy allowing DNS, unless `DnsEgress.none()`. */
  public readonly allowDns?: ApiObject;
  /** The ResourceQuota. */
  public readonly resourceQuota: ApiObject;
  /** The LimitRange. */
  public readonly limitRange: ApiObject;
  /** The namespace's `default` ServiceAccount, with token automount off. */
  public readonly defaultServiceAccount: ApiObject;
  /** The service mesh of the namespace, with `mesh`. */
  public readonly mesh?: NamespaceMesh;
  /** The namespace-wide PeerAuthentication (`mtls.mode: STRICT`), security.istio.io/v1, with `mesh`. */
  public readonly peerAuthentication?: ApiObject;
  /** The allow-nothing AuthorizationPolicy (empty spec: no request matches an ALLOW rule), security.istio.io/v1, with `mesh`. */
  public readonly allowNothing?: ApiObject;

  public constructor(scope: Construct, id: string, props: DefaultDenyNamespaceProps) {
    super(scope, id, 'DefaultDenyNamespace', props, Object.keys(DEFAULT_DENY_NAMESPACE_PROPS));
    const { where } = this;
    this.namespaceName = validateNamespaceName(where, checkString(where, 'name', props.name));
    this.podSecurityLevel = props.podSecurityLevel ?? PodSecurityLevel.RESTRICTED;
    if (!Object.values(PodSecurityLevel).includes(this.podSecurityLevel)) {
      throw inputError(where, `podSecurityLevel ${quote(this.podSecurityLevel)} is not a Pod Security Standards level`, 'use PodSecurityLevel.RESTRICTED (or BASELINE / PRIVILEGED with acceptWeakerPodSecurity)');
    }
    if (this.podSecurityLevel !== PodSecurityLevel.RESTRICTED && checkOptionalBoolean(where, 'acceptWeakerPodSecurity', props.acceptWeakerPodSecurity) !== true) {
      throw inputError(
        where,
        `podSecurityLevel ${quote(this.podSecurityLevel)} is weaker than restricted`,
        'keep the default (restricted), or set acceptWeakerPodSecurity: true to confirm the weaker level',
      );
    }
    const version = checkOptionalString(where, 'podSecurityVersion', props.podSecurityVersion) ?? PodSecurityVersion.LATEST.toString();
    if (!/^v1\.[0-9]{1,2}$/.test(version)) {
      throw inputError(where, `podSecurityVersion ${quote(version)} is not a pinned Kubernetes minor version`, 'use a version like "v1.33" ("latest" would change with each cluster upgrade)');
    }
    // The same range the policy engine judges (an older version would be a PSS-NAMESPACE-LEVEL finding).
    PodSecurityVersion.parse(version, `${where}: podSecurityVersion`);

    this.mesh = props.mesh === undefined ? undefined
      : checkInstance<NamespaceMesh>(where, 'mesh', props.mesh, '_namespaceLabels()', 'a NamespaceMesh (e.g. NamespaceMesh.istioSidecar())');
    const meshLabels = this.mesh?._namespaceLabels(where) ?? {};

    const commonLabels = recommendedLabels(where, {
      name: this.namespaceName, instance: this.namespaceName, component: 'namespace', partOf: this.namespaceName,
    });
    const podSecurityLabels: { [key: string]: string } = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      podSecurityLabels[`pod-security.kubernetes.io/${mode}`] = this.podSecurityLevel;
      podSecurityLabels[`pod-security.kubernetes.io/${mode}-version`] = version;
    }
    this.namespace = kube.namespace(this, 'Namespace', {
      metadata: {
        name: this.namespaceName,
        labels: { ...validateNamespaceLabels(where, props.labels ?? {}, this.mesh), ...meshLabels, ...commonLabels, ...podSecurityLabels },
      },
    });
    // A chart's namespace is stamped on every object; a Namespace itself is cluster-scoped.
    this.namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    const metadata = (name: string) => ({ name, namespace: this.namespaceName, labels: commonLabels });

    this.defaultDeny = kube.networkPolicy(this, 'DefaultDeny', {
      metadata: metadata('default-deny-all'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    const dns = props.dns === undefined ? DnsEgress.kubeDns() : checkInstance<DnsEgress>(where, 'dns', props.dns, '_ruleFor()', 'a DnsEgress (e.g. DnsEgress.kubeDns())');
    const dnsRule = dns._ruleFor(where);
    if (dnsRule) {
      this.allowDns = kube.networkPolicy(this, 'AllowDns', {
        metadata: metadata('allow-dns'),
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [dnsRule] },
      });
    }

    this.resourceQuota = kube.resourceQuota(this, 'ResourceQuota', {
      metadata: metadata('default-quota'),
      spec: { hard: quotaHard(where, checkPropsObject(where, props.quota ?? {}, NAMESPACE_QUOTA_OPTIONS, 'quota')) },
    });

    const q = (value: string) => value;
    this.limitRange = kube.limitRange(this, 'LimitRange', {
      metadata: metadata('default-limits'),
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: {
            'cpu': q(DEFAULT_RESOURCES.cpuRequest),
            'memory': q(DEFAULT_RESOURCES.memoryRequest),
            'ephemeral-storage': q(DEFAULT_RESOURCES.ephemeralStorageRequest),
          },
          default: {
            'cpu': q(DEFAULT_RESOURCES.cpuLimit),
            'memory': q(DEFAULT_RESOURCES.memoryLimit),
            'ephemeral-storage': q(DEFAULT_RESOURCES.ephemeralStorageLimit),
          },
        }],
      },
    });

    this.defaultServiceAccount = kube.serviceAccount(this, 'DefaultServiceAccount', {
      metadata: metadata('default'),
      automountServiceAccountToken: false,
    });

    if (this.mesh) {
      // Namespace-wide (no selector): every workload of the namespace takes mTLS only. A workload's own exception (a
      // plaintext metrics port) is a port-level one with its selector, written by the workload.
      this.peerAuthentication = kube.peerAuthentication(this, 'PeerAuthentication', {
        metadata: metadata('default'),
        spec: { mtls: { mode: 'STRICT' } },
      });
      // An ALLOW policy with no rules matches nothing; its presence makes Istio deny every request no other ALLOW policy
      // of the pod admits (the workloads' own, from their peers).
      this.allowNothing = kube.authorizationPolicy(this, 'AllowNothing', {
        metadata: metadata('allow-nothing'),
        spec: {},
      });
    }

    // Objects in the namespace are applied after it.
    const children = [
      this.defaultDeny, this.allowDns, this.resourceQuota, this.limitRange, this.defaultServiceAccount, this.peerAuthentication, this.allowNothing,
    ];
    for (const child of children) {
      child?.node.addDependency(this.namespace);
    }
  }

  /** @see INamespaceSelector */
  public toNamespaceSelectorConfig(): NamespaceSelectorConfig {
    return { names: [this.namespaceName] };
  }
}

function quotaHard(where: string, quota: NamespaceQuotaOptions): { [key: string]: string | number } {
  const quantities: Array<[string, unknown]> = [
    ['requests.cpu', quota.requestsCpu ?? '4'],
    ['limits.cpu', quota.limitsCpu ?? '8'],
    ['requests.memory', quota.requestsMemory ?? '8Gi'],
    ['limits.memory', quota.limitsMemory ?? '16Gi'],
    ['limits.ephemeral-storage', quota.limitsEphemeralStorage ?? '20Gi'],
  ];
  const counts: Array<[string, unknown]> = [
    ['pods', quota.pods ?? 50],
    ['persistentvolumeclaims', quota.persistentVolumeClaims ?? 10],
    ['services.loadbalancers', quota.loadBalancers ?? 0],
    ['services.nodeports', quota.nodePorts ?? 0],
  ];
  const hard: { [key: string]: string | number } = {};
  for (const [key, value] of quantities) hard[key] = validateQuantity(where, `quota ${key}`, checkString(where, `quota ${key}`, value));
  for (const [key, value] of counts) hard[key] = checkInteger(where, `quota ${key}`, value, { min: 0 });
  return hard;
}

/**
 * Namespaces that exist in every cluster and hold its own components (or everything nobody placed):
 * applying this construct's objects to them would deny the control plane's traffic or fight its defaults.
 */
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function validateNamespaceName(where: string, name: string): string {
  validateDnsLabel(where, 'name', name);
  if (SYSTEM_NAMESPACES.includes(name) || name.startsWith('kube-')) {
    throw inputError(
      where,
      `namespace ${quote(name)} is ${SYSTEM_NAMESPACES.includes(name) ? 'a system namespace every cluster has' : 'in the kube- prefix Kubernetes reserves'}: ` +
        'a default-deny NetworkPolicy, quota and LimitRange there would cut off or throttle cluster components, and the namespace is not this app\'s to own',
      'give the app its own namespace, e.g. "shop"',
    );
  }
  return name;
}

/** Namespace labels whose value switches a service mesh off for every pod of the namespace. */
const MESH_OFF_LABELS: { [key: string]: RegExp } = {
  'istio-injection': /^(?!enabled$)/,
  'istio.io/dataplane-mode': /^none$/,
  'linkerd.io/inject': /^disabled$/,
};

/** The namespace labels that choose a mesh's dataplane: with `mesh`, this construct sets them. */
const MESH_LABELS = ['istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode', 'linkerd.io/inject'];

/**
 * User labels of the Namespace; the ones this construct owns (Pod Security, the name label, the mesh labels with `mesh`)
 * are refused rather than silently replaced.
 */
function validateNamespaceLabels(where: string, labels: unknown, mesh: NamespaceMesh | undefined): { [key: string]: string } {
  const map = validateLabels(where, checkStringMap(where, 'labels', labels));
  for (const key of Object.keys(map)) {
    if (key.startsWith('pod-security.kubernetes.io/') || key === NAMESPACE_NAME_LABEL) {
      throw inputError(where, `label ${quote(key)} is set by this construct`, 'use podSecurityLevel / podSecurityVersion for Pod Security labels, and name for the namespace name');
    }
    if (mesh && MESH_LABELS.includes(key)) {
      const ambient = mesh.dataplane === MeshDataplane.AMBIENT;
      throw inputError(
        where,
        `label ${quote(key)} chooses the namespace's mesh dataplane, which mesh (${ambient ? 'NamespaceMesh.istioAmbient' : 'NamespaceMesh.istioSidecar'}) sets`,
        ambient ? 'remove the label' : 'remove the label; for a revision-based install pass NamespaceMesh.istioSidecar({ revision })',
      );
    }
    const meshOff = MESH_OFF_LABELS[key];
    if (meshOff && meshOff.test(map[key])) {
      throw inputError(
        where,
        `label ${quote(key)}: ${quote(map[key])} takes every pod of the namespace out of the service mesh (no egress policy in the proxy, no mTLS)`,
        'remove it; enable the mesh with istio-injection: enabled or istio.io/rev, or leave the label out',
      );
    }
  }
  return map;
}
