import { list, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { Severity } from '../../rule-api/severity';

// Upstream `restrictedVolumes` (one version at v1.0, amended in place: `image` is allowed at every version).
/**
 * The volume sources of the Volume type (Kubernetes v1.36) that restricted does not allow: what the CEL
 * form checks, as typed objects in the API server carry no other keys.
 */
const OTHER_VOLUME_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo',
  'glusterfs', 'hostPath', 'iscsi', 'nfs', 'photonPersistentDisk', 'portworxVolume', 'quobyte', 'rbd', 'scaleIO', 'storageos', 'vsphereVolume',
];
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
      admission: AdmissionCheck.podSpec([{
        expression: `variables.podSpec.?volumes.orValue([]).all(v, ${OTHER_VOLUME_SOURCES.map((f) => `!has(v.${f})`).join(' && ')})`,
        messageExpression: `'volumes ' + variables.podSpec.volumes.filter(v, ${OTHER_VOLUME_SOURCES.map((f) => `has(v.${f})`).join(' || ')})`
          + ".map(v, v.name).join(', ') + ' are of types restricted does not allow'",
        message: 'a volume is of a type restricted does not allow',
      }]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    return list(pod.spec.volumes).filter((volume) => volume != null && typeof volume === 'object').flatMap((volume) => Object.keys(volume)
      .filter((key) => key !== 'name' && volume[key] != null && !ALLOWED.has(key))
      .map((key) => `volume "${volume.name}" is of type ${key}`));
  }
}
