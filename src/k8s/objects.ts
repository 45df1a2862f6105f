import { ApiObject, GroupVersionKind } from 'cdk8s';
// Types only: the kinds' props come from cdk8s-plus-27's k8s imports, which load with cdk8s-plus-27 itself (~50 ms),
// a cost an app that uses no cdk8s-plus object should not pay. The groups and versions are written out here, and
// test/k8s/object-factory.test.ts checks them against cdk8s-plus-27's GVKs.
import type { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CiliumNetworkPolicyProps } from './custom-resources/cilium';
import { PodMonitorProps, ServiceMonitorProps } from './custom-resources/monitoring';
import { ClusterImagePolicyProps } from './custom-resources/sigstore';
import { gateway, istio } from './generated-kinds';
import { Plain } from '../core/plain';
// Types only, never loaded: the generated Argo Rollouts classes write an IntOrString field from its class's `value`, so
// given plain props they drop `failureLimit: 3` or `pause: { duration: '30s' }` without a word. The Argo kinds are
// therefore written as plain objects (like the core kinds), typed by the generated props.
import type { AnalysisTemplateProps, RolloutProps } from '../imports/argoproj.io';
// Types only: an AuthorizationPolicy's rules grow after construction (peers admitted later) and render through `Lazy`,
// which the generated class's per-field conversion would read as an empty object. Written as plain objects.
import type { AuthorizationPolicyProps, PeerAuthenticationProps } from '../imports/security.istio.io';

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
 * The one way the library makes Kubernetes objects: core kinds, hand-typed CRDs (custom-resources/), the
 * generated Istio and Gateway API classes, and Argo Rollouts kinds typed by their generated props, each built from the plain props of its kind, e.g.
 * `kube.deployment(this, 'Deployment', { metadata, spec })`, `kube.virtualService(this, 'VirtualService', { metadata, spec })`.
 */
export const kube = {
  ciliumNetworkPolicy: kubeObject<CiliumNetworkPolicyProps>({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy' }),
  clusterImagePolicy: kubeObject<ClusterImagePolicyProps>({ apiVersion: 'policy.sigstore.dev/v1alpha1', kind: 'ClusterImagePolicy' }),
  podMonitor: kubeObject<PodMonitorProps>({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' }),
  serviceMonitor: kubeObject<ServiceMonitorProps>({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' }),
  configMap: kubeObject<k8s.KubeConfigMapProps>({ apiVersion: 'v1', kind: 'ConfigMap' }),
  deployment: kubeObject<k8s.KubeDeploymentProps>({ apiVersion: 'apps/v1', kind: 'Deployment' }),
  endpointSlice: kubeObject<k8s.KubeEndpointSliceProps>({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' }),
  horizontalPodAutoscaler: kubeObject<k8s.KubeHorizontalPodAutoscalerV2Props>({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' }),
  job: kubeObject<k8s.KubeJobProps>({ apiVersion: 'batch/v1', kind: 'Job' }),
  limitRange: kubeObject<k8s.KubeLimitRangeProps>({ apiVersion: 'v1', kind: 'LimitRange' }),
  namespace: kubeObject<k8s.KubeNamespaceProps>({ apiVersion: 'v1', kind: 'Namespace' }),
  networkPolicy: kubeObject<k8s.KubeNetworkPolicyProps>({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' }),
  podDisruptionBudget: kubeObject<k8s.KubePodDisruptionBudgetProps>({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' }),
  priorityClass: kubeObject<k8s.KubePriorityClassProps>({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass' }),
  resourceQuota: kubeObject<k8s.KubeResourceQuotaProps>({ apiVersion: 'v1', kind: 'ResourceQuota' }),
  role: kubeObject<k8s.KubeRoleProps>({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' }),
  roleBinding: kubeObject<k8s.KubeRoleBindingProps>({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' }),
  secret: kubeObject<k8s.KubeSecretProps>({ apiVersion: 'v1', kind: 'Secret' }),
  service: kubeObject<k8s.KubeServiceProps>({ apiVersion: 'v1', kind: 'Service' }),
  serviceAccount: kubeObject<k8s.KubeServiceAccountProps>({ apiVersion: 'v1', kind: 'ServiceAccount' }),
  statefulSet: kubeObject<k8s.KubeStatefulSetProps>({ apiVersion: 'apps/v1', kind: 'StatefulSet' }),
  destinationRule: generatedObject(istio, (module) => module.DestinationRule),
  serviceEntry: generatedObject(istio, (module) => module.ServiceEntry),
  sidecar: generatedObject(istio, (module) => module.Sidecar),
  virtualService: generatedObject(istio, (module) => module.VirtualService),
  httpRoute: generatedObject(gateway, (module) => module.HttpRoute),
  authorizationPolicy: kubeObject<AuthorizationPolicyProps>({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' }),
  peerAuthentication: kubeObject<PeerAuthenticationProps>({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' }),
  analysisTemplate: kubeObject<AnalysisTemplateProps>({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate' }),
  rollout: kubeObject<RolloutProps>({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' }),
};
