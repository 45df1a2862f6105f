import { ApiObject, GroupVersionKind } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Plain } from '../baseline/plain';

function kubeObject(gvk: GroupVersionKind) {
  return <P>(scope: Construct, id: string, props: Plain<P>): ApiObject => new ApiObject(scope, id, { ...gvk, ...(props as object) });
}

/**
 * Core Kubernetes objects built from plain, typed data: the same manifests as cdk8s-plus-27's generated
 * `Kube*` classes, without their per-field conversion at synth.
 */
export const kube = {
  configMap: kubeObject(k8s.KubeConfigMap.GVK)<k8s.KubeConfigMapProps>,
  deployment: kubeObject(k8s.KubeDeployment.GVK)<k8s.KubeDeploymentProps>,
  endpointSlice: kubeObject(k8s.KubeEndpointSlice.GVK)<k8s.KubeEndpointSliceProps>,
  horizontalPodAutoscaler: kubeObject(k8s.KubeHorizontalPodAutoscalerV2.GVK)<k8s.KubeHorizontalPodAutoscalerV2Props>,
  job: kubeObject(k8s.KubeJob.GVK)<k8s.KubeJobProps>,
  limitRange: kubeObject(k8s.KubeLimitRange.GVK)<k8s.KubeLimitRangeProps>,
  namespace: kubeObject(k8s.KubeNamespace.GVK)<k8s.KubeNamespaceProps>,
  networkPolicy: kubeObject(k8s.KubeNetworkPolicy.GVK)<k8s.KubeNetworkPolicyProps>,
  podDisruptionBudget: kubeObject(k8s.KubePodDisruptionBudget.GVK)<k8s.KubePodDisruptionBudgetProps>,
  resourceQuota: kubeObject(k8s.KubeResourceQuota.GVK)<k8s.KubeResourceQuotaProps>,
  secret: kubeObject(k8s.KubeSecret.GVK)<k8s.KubeSecretProps>,
  service: kubeObject(k8s.KubeService.GVK)<k8s.KubeServiceProps>,
  serviceAccount: kubeObject(k8s.KubeServiceAccount.GVK)<k8s.KubeServiceAccountProps>,
};
