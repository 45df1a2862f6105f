import { ApiObject, GroupVersionKind } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Plain } from '../baseline/plain';

/**
 * An object created by this library. The policy pass of an `App.synth` call serializes every object to
 * check it; for the library's own objects it may hand that manifest to the same synth call, which then
 * writes it instead of serializing the object a second time (see `PolicyValidation`). A handed-over
 * manifest is used once, only by the next `toJson()`, and withdrawn when the synth call returns.
 */
class LibraryObject extends ApiObject {
  private handedOver: any;

  public toJson(): any {
    const manifest = this.handedOver;
    if (manifest === undefined) return super.toJson();
    this.handedOver = undefined;
    return manifest;
  }

  /** @internal */
  public _handOver(manifest: any): void {
    this.handedOver = manifest;
  }
}

/**
 * Hands a manifest that was just serialized from the object to its next `toJson()`, if the object is one of
 * the library's own (other objects serialize again). Returns whether it was handed over.
 * @internal
 */
export function handOverToSynth(apiObject: ApiObject, manifest: any): boolean {
  if (!isLibraryObject(apiObject)) return false;
  apiObject._handOver(manifest);
  return true;
}

/**
 * Withdraws a manifest handed over and not yet used, so that the next `toJson()` serializes afresh.
 * @internal
 */
export function withdrawFromSynth(apiObject: ApiObject): void {
  if (isLibraryObject(apiObject)) apiObject._handOver(undefined);
}

// Not `instanceof`: ApiObject's static Symbol.hasInstance answers true for every ApiObject.
function isLibraryObject(apiObject: ApiObject): apiObject is LibraryObject {
  return LibraryObject.prototype.isPrototypeOf(apiObject);
}

function kubeObject(gvk: GroupVersionKind) {
  return <P>(scope: Construct, id: string, props: Plain<P>): ApiObject => new LibraryObject(scope, id, { ...gvk, ...(props as object) });
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
