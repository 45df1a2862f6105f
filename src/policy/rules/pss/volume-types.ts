import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

const ALLOWED = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** Pods use only volume types that cannot reach the node. */
export class VolumeTypesRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-VOLUME-TYPES',
      title: 'Pods use only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes',
      rationale: 'Direct volume types (nfs, iscsi, hostPath, …) bypass the storage abstraction and its access control.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): Volume Types',
      fix: 'Replace the volume with one of the allowed types (e.g. a PersistentVolumeClaim instead of a direct nfs or hostPath volume).',
    });
  }

  protected checkPod(pod: PodView): string[] {
    return (pod.spec.volumes ?? []).flatMap((volume: any) => Object.keys(volume)
      .filter((key) => key !== 'name' && !ALLOWED.has(key))
      .map((key) => `volume "${volume.name}" is of type ${key}`));
  }
}
