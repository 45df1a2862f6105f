import { ApiObject, GroupVersionKind } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CiliumNetworkPolicyProps } from './custom-resources/cilium';
import { PodMonitorProps, ServiceMonitorProps } from './custom-resources/monitoring';
import { ClusterImagePolicyProps } from './custom-resources/sigstore';
import { gateway, istio } from './generated-kinds';
import { Plain } from '../core/plain';

/** Builds one kind of object from plain, typed props. */
type KubeObjectFactory<P> = (scope: Construct, id: string, props: Plain<P>) => ApiObject;

function kubeObject<P>(gvk: GroupVersionKind): KubeObjectFactory<P> {
  return (scope, id, props) => new ApiObject(scope, id, { ...gvk, ...(props as object) });
}

/**
 * Builds one kind of object with its generated class (src/imports/), whose module loads on the first object of one of
 * its kinds. The props are plain: a string enum is written as its value (`mode: 'REGISTRY_ONLY'`), which is what the
 * class's enum member holds.
 */
function generatedObject<M, P>(
  load: () => M, classOf: (module: M) => new (scope: Construct, id: string, props: P) => ApiObject,
): KubeObjectFactory<P> {
  return (scope, id, props) => new (classOf(load()))(scope, id, props as P);
}

/**
 * The one way the library makes Kubernetes objects: core kinds, hand-typed CRDs (custom-resources/) and the
 * generated Istio and Gateway API classes, each built from the plain props of its kind, e.g.
 * `kube.deployment(this, 'Deployment', { metadata, spec })`, `kube.virtualService(this, 'VirtualService', { metadata, spec })`.
 */
export const kube = {
  ciliumNetworkPolicy: kubeObject<CiliumNetworkPolicyProps>({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy' }),
  clusterImagePolicy: kubeObject<ClusterImagePolicyProps>({ apiVersion: 'policy.sigstore.dev/v1alpha1', kind: 'ClusterImagePolicy' }),
  podMonitor: kubeObject<PodMonitorProps>({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' }),
  serviceMonitor: kubeObject<ServiceMonitorProps>({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' }),
  configMap: kubeObject<k8s.KubeConfigMapProps>(k8s.KubeConfigMap.GVK),
  deployment: kubeObject<k8s.KubeDeploymentProps>(k8s.KubeDeployment.GVK),
  endpointSlice: kubeObject<k8s.KubeEndpointSliceProps>(k8s.KubeEndpointSlice.GVK),
  horizontalPodAutoscaler: kubeObject<k8s.KubeHorizontalPodAutoscalerV2Props>(k8s.KubeHorizontalPodAutoscalerV2.GVK),
  job: kubeObject<k8s.KubeJobProps>(k8s.KubeJob.GVK),
  limitRange: kubeObject<k8s.KubeLimitRangeProps>(k8s.KubeLimitRange.GVK),
  namespace: kubeObject<k8s.KubeNamespaceProps>(k8s.KubeNamespace.GVK),
  networkPolicy: kubeObject<k8s.KubeNetworkPolicyProps>(k8s.KubeNetworkPolicy.GVK),
  podDisruptionBudget: kubeObject<k8s.KubePodDisruptionBudgetProps>(k8s.KubePodDisruptionBudget.GVK),
  priorityClass: kubeObject<k8s.KubePriorityClassProps>(k8s.KubePriorityClass.GVK),
  resourceQuota: kubeObject<k8s.KubeResourceQuotaProps>(k8s.KubeResourceQuota.GVK),
  role: kubeObject<k8s.KubeRoleProps>(k8s.KubeRole.GVK),
  roleBinding: kubeObject<k8s.KubeRoleBindingProps>(k8s.KubeRoleBinding.GVK),
  secret: kubeObject<k8s.KubeSecretProps>(k8s.KubeSecret.GVK),
  service: kubeObject<k8s.KubeServiceProps>(k8s.KubeService.GVK),
  serviceAccount: kubeObject<k8s.KubeServiceAccountProps>(k8s.KubeServiceAccount.GVK),
  destinationRule: generatedObject(istio, (module) => module.DestinationRule),
  serviceEntry: generatedObject(istio, (module) => module.ServiceEntry),
  sidecar: generatedObject(istio, (module) => module.Sidecar),
  virtualService: generatedObject(istio, (module) => module.VirtualService),
  httpRoute: generatedObject(gateway, (module) => module.HttpRoute),
};
