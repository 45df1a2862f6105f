// What a workload kind passes to the steps of HardenedWorkload (internal: not part of the jsii API).
import type { k8s } from 'cdk8s-plus-27';
import { Plain } from '../../core/plain';
import { ResourceQuantities } from '../pod/resources';

/**
 * What the workload kind decides about its pod, beside the props: the volumes it brings (claims, secret files), the
 * defaults it sizes differently, and whether the pod keeps data on persistent volumes.
 */
export interface WorkloadPodExtras {
  /** Volumes of the pod besides the config and the scratch space. */
  readonly volumes?: Plain<k8s.Volume>[];
  /** Mounts of the container besides the config and the scratch space (also of volume claim templates). */
  readonly volumeMounts?: Plain<k8s.VolumeMount>[];
  /** The requests and limits the props override field by field. */
  readonly defaultResources?: ResourceQuantities;
  /** The pod keeps data on persistent volumes (fsGroup ownership is changed only when the volume's root does not match). */
  readonly persistentData?: boolean;
}

/** How the workload's Service is written. */
export interface WorkloadServiceOptions {
  /** No Service at all (a worker, or `exposeService: false`). */
  readonly none?: boolean;
  /** A headless Service (`clusterIP: None`), the network identity of a StatefulSet's pods. */
  readonly headless?: boolean;
  /** The port the Service exposes (the container port unless given). */
  readonly servicePort?: number;
  /**
   * Scrape the pods with a PodMonitor even when there is a Service: a controller that rewrites its Services'
   * selectors during a release (Argo Rollouts) would hide the new pods from a ServiceMonitor.
   */
  readonly podMonitor?: boolean;
  /** Pod labels the monitor copies onto every series (e.g. `rollouts-pod-template-hash`, which tells versions apart). */
  readonly podTargetLabels?: string[];
}
