import { list, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../pod-security-version';
import { PodView } from '../../pod-view';
import { Severity } from '../../severity';

// Upstream `restrictedVolumes` (one version at v1.0, amended in place: `image` is allowed at every version).
const ALLOWED = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);

/** Pods use only volume types that cannot reach the node (upstream check `restrictedVolumes`, v1.0). */
export class VolumeTypesRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-VOLUME-TYPES',
      title: 'Pods use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes',
      rationale: 'Direct volume types (nfs, iscsi, hostPath, …) bypass the storage abstraction and its access control.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): Volume Types',
      fix: 'Replace the volume with one of the allowed types (e.g. a PersistentVolumeClaim instead of a direct nfs or hostPath volume).',
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    return list(pod.spec.volumes).filter((volume) => volume != null && typeof volume === 'object').flatMap((volume) => Object.keys(volume)
      .filter((key) => key !== 'name' && volume[key] != null && !ALLOWED.has(key))
      .map((key) => `volume "${volume.name}" is of type ${key}`));
  }
}
