// What the library knows about Kubernetes kinds, in one table: which are cluster-scoped. Every rule and construct
// that asks reads it here.

/**
 * Kinds whose objects have no namespace: the built-in cluster-scoped kinds, and those of the custom resources the
 * library emits or judges (Sigstore's ClusterImagePolicy, Kyverno's ClusterPolicy, Cilium's clusterwide policy).
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass',
  'PriorityClass', 'IngressClass', 'RuntimeClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'GatewayClass', 'ComponentStatus', 'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration',
  'ClusterImagePolicy', 'ClusterPolicy', 'CiliumClusterwideNetworkPolicy',
]);

/** Whether objects of the kind have no namespace. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}
