import { POD_TEMPLATE_RESOURCES } from '../../../k8s/kinds';
import { Severity } from '../../rule-api/severity';
import { Permission } from '../cis/grants';
import { RoleGrantCheck } from '../cis/role-grant-check';

const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const CHANGE = ['create', 'update', 'patch'];
const ANY = ['get', ...WRITE];

/** Every write on each resource of a group: policies and routes, where deleting one opens as much as adding one. */
const writes = (group: string, resources: string[], clusterScoped: boolean = false): Permission[] =>
  resources.map((resource) => ({ group, resource, verbs: WRITE, ...(clusterScoped ? { clusterScoped } : {}) }));

/**
 * What a workload must not be able to change about its own isolation, as RBAC permissions:
 * - the policies that confine it, and the routes the library emits: NetworkPolicies and AdminNetworkPolicies, Istio's
 *   routing and security kinds (Sidecar, ServiceEntry, EnvoyFilter, AuthorizationPolicy, PeerAuthentication, …),
 *   Gateway API routes, Linkerd's, Cilium's and Calico's policies, Kyverno's policies and exceptions, Sigstore's
 *   ClusterImagePolicy, admission policies; and Ingresses, which open the namespace to outside traffic (and, with
 *   some controllers, run configuration snippets in the controller);
 * - its namespace object (a RoleBinding in `<ns>` authorizes `PATCH /api/v1/namespaces/<ns>`): its Pod Security and
 *   `policy.sigstore.dev/include` labels, which `namespaces/status` writes too (its strategy resets
 *   only the spec); and the namespace's ResourceQuota and LimitRange;
 * - the labels of pods, which `pods/status` writes (its strategy resets spec, deletionTimestamp and ownerReferences
 *   only): a relabelled pod leaves the NetworkPolicies that select it and joins other Services' endpoints;
 * - what pods run (`POD_TEMPLATE_RESOURCES`, Argo Rollouts included): a new or patched template runs any image as
 *   any ServiceAccount of the namespace, with any of its Secrets;
 * - where traffic goes: Services (`externalIPs` and `status.loadBalancer` intercept cluster traffic, CVE-2020-8554;
 *   the addresses in Ingress and Gateway status are what external-dns publishes),
 *   Endpoints and EndpointSlices (CVE-2021-25740), and the API server's proxy to pods and Services, which no
 *   NetworkPolicy sees;
 * - RBAC itself, and Secrets it could create (a service-account-token Secret is a token for any ServiceAccount).
 */
export const ISOLATION_WRITES: readonly Permission[] = [
  ...writes('networking.k8s.io', ['networkpolicies', 'ingresses']),
  ...writes('extensions', ['networkpolicies', 'ingresses']),
  ...writes('policy.networking.k8s.io', ['adminnetworkpolicies', 'baselineadminnetworkpolicies'], true),
  ...writes('networking.istio.io', ['sidecars', 'serviceentries', 'envoyfilters', 'virtualservices', 'destinationrules', 'gateways',
    'workloadentries', 'workloadgroups', 'proxyconfigs']),
  ...writes('security.istio.io', ['authorizationpolicies', 'peerauthentications', 'requestauthentications']),
  ...writes('gateway.networking.k8s.io', ['gateways', 'httproutes', 'grpcroutes', 'tcproutes', 'tlsroutes', 'udproutes', 'referencegrants']),
  ...writes('cilium.io', ['ciliumnetworkpolicies']),
  ...writes('cilium.io', ['ciliumclusterwidenetworkpolicies', 'ciliumcidrgroups'], true),
  ...writes('policy.linkerd.io', ['servers', 'serverauthorizations', 'authorizationpolicies', 'meshtlsauthentications', 'networkauthentications',
    'httproutes']),
  ...writes('crd.projectcalico.org', ['networkpolicies', 'stagednetworkpolicies']),
  ...writes('crd.projectcalico.org', ['globalnetworkpolicies', 'globalnetworksets'], true),
  ...writes('projectcalico.org', ['networkpolicies', 'stagednetworkpolicies']),
  ...writes('projectcalico.org', ['globalnetworkpolicies', 'globalnetworksets'], true),
  ...writes('kyverno.io', ['policies', 'policyexceptions']),
  ...writes('kyverno.io', ['clusterpolicies'], true),
  ...writes('policy.sigstore.dev', ['clusterimagepolicies'], true),
  ...writes('admissionregistration.k8s.io', ['validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies',
    'mutatingadmissionpolicybindings'], true),
  { group: '', resource: 'namespaces', verbs: ['update', 'patch', 'delete'] },
  { group: '', resource: 'namespaces/finalize', verbs: ['update'] },
  { group: '', resource: 'namespaces/status', verbs: ['update', 'patch'] },
  ...writes('', ['resourcequotas', 'limitranges']),
  ...POD_TEMPLATE_RESOURCES.map(({ group, resource }) => ({ group, resource, verbs: CHANGE })),
  { group: '', resource: 'pods/status', verbs: ['update', 'patch'] },
  { group: '', resource: 'services', verbs: CHANGE },
  { group: '', resource: 'services/status', verbs: ['update', 'patch'] },
  { group: 'networking.k8s.io', resource: 'ingresses/status', verbs: ['update', 'patch'] },
  { group: 'gateway.networking.k8s.io', resource: 'gateways/status', verbs: ['update', 'patch'] },
  { group: '', resource: 'endpoints', verbs: CHANGE },
  { group: 'discovery.k8s.io', resource: 'endpointslices', verbs: CHANGE },
  { group: '', resource: 'pods/proxy', verbs: ANY },
  { group: '', resource: 'services/proxy', verbs: ANY },
  { group: 'rbac.authorization.k8s.io', resource: 'roles', verbs: CHANGE },
  { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', verbs: CHANGE },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verbs: CHANGE, clusterScoped: true },
  { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', verbs: CHANGE, clusterScoped: true },
  { group: '', resource: 'secrets', verbs: ['create'] },
];

/**
 * Roles and ClusterRoles bound to a ServiceAccount — the identity pods act with — do not grant what undoes the
 * isolation around those pods (`ISOLATION_WRITES`): policies, the namespace, pod templates, Services, Endpoints,
 * RBAC. Bindings to the built-in `edit` and `admin` are judged by their rules. Roles bound only to users and
 * groups (deployers, CI) are left to CIS-RBAC-POD-CREATE(-NAMESPACED): deploying is their job.
 * SecureDeployment's `allow` refuses any grant this rule would flag.
 */
export class RbacIsolationWritesRule extends RoleGrantCheck {
  public constructor() {
    super({
      id: 'NSA-RBAC-ISOLATION',
      title: 'Roles bound to service accounts do not grant writes that undo isolation',
      rationale: 'A workload that may change NetworkPolicies, mesh or CNI policies, its Namespace, pod templates, Services, Endpoints or RBAC '
        + 'can delete its default-deny, drop its namespace\'s Pod Security labels, run any image or intercept traffic: the box it was put in '
        + 'opens from the inside.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Authentication and authorization — least privilege RBAC; network separation',
      fix: 'Leave these writes (and the API server proxy to pods and Services) out of the workload\'s role; give them to a deployer or '
        + 'controller whose Role is bound to users or CI and reviewed on its own, and acknowledge the binding with a reason if it must be a '
        + 'ServiceAccount.',
      constructFix: 'SecureDeployment.allow never grants them.',
    }, { kinds: ['Role', 'ClusterRole'], permissions: ISOLATION_WRITES, boundToServiceAccounts: true });
  }
}
