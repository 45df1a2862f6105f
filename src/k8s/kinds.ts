// What the library knows about Kubernetes kinds, in one table per question: which are cluster-scoped, which carry a
// pod template. Every rule and construct that asks reads it here.

/** A kind with the API group and the plural resource RBAC rules name it by. */
export interface KindResource {
  /** The kind, e.g. `Deployment`. */
  readonly kind: string;
  /** The API group; `''` is the core group. */
  readonly group: string;
  /** The plural lower-case resource, e.g. `deployments`. */
  readonly resource: string;
}

/**
 * Kinds whose objects have no namespace: the built-in cluster-scoped kinds, and those of the custom resources the
 * library emits or judges (Sigstore's ClusterImagePolicy, Kyverno's ClusterPolicy, Cilium's clusterwide policy).
 */
export const CLUSTER_SCOPED: readonly KindResource[] = [
  { kind: 'Namespace', group: '', resource: 'namespaces' },
  { kind: 'Node', group: '', resource: 'nodes' },
  { kind: 'PersistentVolume', group: '', resource: 'persistentvolumes' },
  { kind: 'ComponentStatus', group: '', resource: 'componentstatuses' },
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
  { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
  { kind: 'CustomResourceDefinition', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
  { kind: 'StorageClass', group: 'storage.k8s.io', resource: 'storageclasses' },
  { kind: 'CSIDriver', group: 'storage.k8s.io', resource: 'csidrivers' },
  { kind: 'CSINode', group: 'storage.k8s.io', resource: 'csinodes' },
  { kind: 'VolumeAttachment', group: 'storage.k8s.io', resource: 'volumeattachments' },
  { kind: 'PriorityClass', group: 'scheduling.k8s.io', resource: 'priorityclasses' },
  { kind: 'IngressClass', group: 'networking.k8s.io', resource: 'ingressclasses' },
  { kind: 'RuntimeClass', group: 'node.k8s.io', resource: 'runtimeclasses' },
  { kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations' },
  { kind: 'MutatingWebhookConfiguration', group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations' },
  { kind: 'ValidatingAdmissionPolicy', group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicies' },
  { kind: 'ValidatingAdmissionPolicyBinding', group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicybindings' },
  { kind: 'MutatingAdmissionPolicy', group: 'admissionregistration.k8s.io', resource: 'mutatingadmissionpolicies' },
  { kind: 'MutatingAdmissionPolicyBinding', group: 'admissionregistration.k8s.io', resource: 'mutatingadmissionpolicybindings' },
  { kind: 'APIService', group: 'apiregistration.k8s.io', resource: 'apiservices' },
  { kind: 'CertificateSigningRequest', group: 'certificates.k8s.io', resource: 'certificatesigningrequests' },
  { kind: 'FlowSchema', group: 'flowcontrol.apiserver.k8s.io', resource: 'flowschemas' },
  { kind: 'PriorityLevelConfiguration', group: 'flowcontrol.apiserver.k8s.io', resource: 'prioritylevelconfigurations' },
  { kind: 'GatewayClass', group: 'gateway.networking.k8s.io', resource: 'gatewayclasses' },
  { kind: 'ClusterImagePolicy', group: 'policy.sigstore.dev', resource: 'clusterimagepolicies' },
  { kind: 'ClusterPolicy', group: 'kyverno.io', resource: 'clusterpolicies' },
  { kind: 'CiliumClusterwideNetworkPolicy', group: 'cilium.io', resource: 'ciliumclusterwidenetworkpolicies' },
  { kind: 'CiliumCIDRGroup', group: 'cilium.io', resource: 'ciliumcidrgroups' },
  { kind: 'AdminNetworkPolicy', group: 'policy.networking.k8s.io', resource: 'adminnetworkpolicies' },
  { kind: 'BaselineAdminNetworkPolicy', group: 'policy.networking.k8s.io', resource: 'baselineadminnetworkpolicies' },
];

/** The kinds of `CLUSTER_SCOPED`. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set(CLUSTER_SCOPED.map((entry) => entry.kind));

/** Whether objects of the kind have no namespace. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/**
 * The resources whose objects are pods or carry a template their controller runs pods from: writing one runs pods
 * (a PodTemplate object runs nothing by itself, and is not one). The engine finds pod specs by
 * shape (pod-view.ts), so it judges any of these; RBAC names them by resource, so the rules that judge who may
 * write them read this list. Argo Rollouts' Rollout is one (blue/green and canary replace Deployments with it).
 */
export const POD_TEMPLATE_RESOURCES: readonly KindResource[] = [
  { kind: 'Pod', group: '', resource: 'pods' },
  { kind: 'ReplicationController', group: '', resource: 'replicationcontrollers' },
  { kind: 'Deployment', group: 'apps', resource: 'deployments' },
  { kind: 'DaemonSet', group: 'apps', resource: 'daemonsets' },
  { kind: 'StatefulSet', group: 'apps', resource: 'statefulsets' },
  { kind: 'ReplicaSet', group: 'apps', resource: 'replicasets' },
  { kind: 'Job', group: 'batch', resource: 'jobs' },
  { kind: 'CronJob', group: 'batch', resource: 'cronjobs' },
  { kind: 'Rollout', group: 'argoproj.io', resource: 'rollouts' },
];
