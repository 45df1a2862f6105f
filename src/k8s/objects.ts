import { ApiObject, GroupVersionKind } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CiliumNetworkPolicyProps } from './custom-resources/cilium';
import { PodMonitorProps, ServiceMonitorProps } from './custom-resources/monitoring';
import { ClusterImagePolicyProps } from './custom-resources/sigstore';
import { Plain } from '../core/plain';

/** Builds one kind of object from plain, typed props. */
type KubeObjectFactory<P> = (scope: Construct, id: string, props: Plain<P>) => ApiObject;

function kubeObject<P>(gvk: GroupVersionKind): KubeObjectFactory<P> {
  return (scope, id, props) => new ApiObject(scope, id, { ...gvk, ...(props as object) });
}

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
};
