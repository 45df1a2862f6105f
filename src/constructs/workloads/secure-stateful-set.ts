import { ApiObject, Size } from 'cdk8s';
import type { PersistentVolumeAccessMode, k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HARDENED_WORKLOAD_PROPS, HardenedWorkload, HardenedWorkloadProps } from './hardened-workload';
import { inputError, quote } from '../../core/errors';
import { validateDnsLabel } from '../../core/names';
import { Plain } from '../../core/plain';
import { checkInstance, checkInteger, checkOptionalString, checkPropsObject, PropKeys } from '../../core/prop-checks';
import { kube } from '../../k8s/objects';
import { validateMountPath } from '../pod/hardened-pod-spec';
import { sizeQuantity } from '../pod/resources';
import { Prerequisite } from '../prerequisites/prerequisite';

/** The persistent volume each pod of a StatefulSet gets (a volume claim template). */
export interface PersistentStorageOptions {
  /** The size of each pod's volume (a volume without a size is refused: the claim could not be provisioned). */
  readonly size: Size;
  /** Where the volume is mounted in the container. */
  readonly mountPath: string;
  /**
   * The name of the claim template; each pod's claim is `<name>-<statefulset>-<ordinal>`.
   * @default "data"
   */
  readonly name?: string;
  /**
   * How the volume is attached. `ReadWriteOncePod` (one pod, enforced by the kubelet) suits a single-writer database
   * when the cluster's CSI driver supports it.
   * @default PersistentVolumeAccessMode.READ_WRITE_ONCE
   */
  readonly accessMode?: PersistentVolumeAccessMode;
  /**
   * The StorageClass, which the cluster provides under a name of its own (`gp3`, `standard-rwo`, …): declare it
   * with `Prerequisite.storageClass(scope, name)`, so the report lists it under what the app expects from the cluster.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: Prerequisite;
}

/** Props of {@link SecureStatefulSet}. */
export interface SecureStatefulSetProps extends HardenedWorkloadProps {
  /** The persistent volume each pod gets. */
  readonly storage: PersistentStorageOptions;
  /**
   * The number of pods. Each has its own volume and name (`<name>-0`, `<name>-1`, …); the app must replicate its data
   * itself.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Old revisions kept for rollback.
   * @default 5
   */
  readonly revisionHistoryLimit?: number;
}

const SECURE_STATEFUL_SET_PROPS: PropKeys<SecureStatefulSetProps> = {
  ...HARDENED_WORKLOAD_PROPS,
  storage: true,
  replicas: true,
  revisionHistoryLimit: true,
};
const PERSISTENT_STORAGE_OPTIONS: PropKeys<PersistentStorageOptions> = {
  size: true, mountPath: true, name: true, accessMode: true, storageClass: true,
};
const ACCESS_MODES = ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany', 'ReadOnlyMany'];
const DEFAULT_CLAIM_NAME = 'data';

/** A volume claim template and the container's mount of it. */
interface CheckedStorage {
  readonly claimTemplate: Plain<k8s.KubePersistentVolumeClaimProps>;
  readonly mount: Plain<k8s.VolumeMount>;
}

/**
 * A StatefulSet hardened like SecureDeployment (PSS restricted, its own ServiceAccount without a token, probes,
 * resources, topology spread, a PodDisruptionBudget, a NetworkPolicy admitting the named peers on the port and egress
 * to DNS only), with what data needs:
 * - a volume claim template per pod, with a size, an access mode and an optional StorageClass prerequisite;
 * - `fsGroupChangePolicy: OnRootMismatch`: the volume's ownership is set once, not recursively on every start;
 * - a headless Service (`clusterIP: None`) that gives each pod its DNS name (`<name>-0.<name>`), as `serviceName`;
 * - `podManagementPolicy: OrderedReady` and a `RollingUpdate` that replaces one pod at a time, highest ordinal first,
 *   each only once the previous one is ready;
 * - `persistentVolumeClaimRetentionPolicy` Retain on deletion and on scale-down, stated: the data outlives the
 *   StatefulSet, and deleting it is a decision made by hand.
 */
export class SecureStatefulSet extends HardenedWorkload {
  /** The StatefulSet. */
  public readonly statefulSet: ApiObject;

  public constructor(scope: Construct, id: string, props: SecureStatefulSetProps) {
    super(scope, id, 'SecureStatefulSet', props, Object.keys(SECURE_STATEFUL_SET_PROPS));
    const { where } = this;
    this._openWorkload(props);
    if (this.port === undefined) {
      throw inputError(where, 'a StatefulSet\'s pods get their network identity from its headless Service, and the workload has no port',
        'set `port` (the port the pods serve on)');
    }
    const storage = checkStorage(where, props.storage);
    const template = this._podTemplate({ persistentData: true, volumeMounts: [storage.mount] });
    if ((template.spec?.volumes ?? []).some((volume) => volume.name === storage.mount.name)) {
      throw inputError(where, `storage.name ${quote(storage.mount.name)} is also the name of a volume of the pod`, `use another name (default ${DEFAULT_CLAIM_NAME})`);
    }
    this.statefulSet = kube.statefulSet(this, 'StatefulSet', {
      metadata: { name: this.name, namespace: this.namespaceName, labels: this.labels },
      spec: {
        serviceName: this.name,
        replicas: checkInteger(where, 'replicas', props.replicas ?? 1, { min: 1, hint: 'use 1, or more when the app replicates its data itself' }),
        revisionHistoryLimit: checkInteger(where, 'revisionHistoryLimit', props.revisionHistoryLimit ?? 5, { min: 0 }),
        selector: { matchLabels: this.selectorLabels },
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template,
        volumeClaimTemplates: [{ ...storage.claimTemplate, metadata: { ...storage.claimTemplate.metadata, labels: this.selectorLabels } }],
      },
    });
    this._exposeAndIsolate({ headless: true });
  }
}

/** Checks the storage options and returns the claim template and its mount. */
function checkStorage(where: string, given: PersistentStorageOptions): CheckedStorage {
  if (given === undefined) {
    throw inputError(where, 'storage is missing', 'pass storage: { size: Size.gibibytes(10), mountPath: \'/var/lib/app\' }');
  }
  const storage = checkPropsObject(where, given, PERSISTENT_STORAGE_OPTIONS, 'storage');
  if (storage.size === undefined) {
    throw inputError(where, 'storage.size is missing, and a claim without a size cannot be provisioned', 'pass storage.size, e.g. Size.gibibytes(10)');
  }
  const size = sizeQuantity(where, 'storage.size', storage.size)!;
  if (/^0(Mi|Ki)$/.test(size)) throw inputError(where, 'storage.size is zero', 'pass a size above zero, e.g. Size.gibibytes(10)');
  const name = validateDnsLabel(where, 'storage.name', checkOptionalString(where, 'storage.name', storage.name) ?? DEFAULT_CLAIM_NAME);
  const accessMode = checkOptionalString(where, 'storage.accessMode', storage.accessMode) ?? 'ReadWriteOnce';
  if (!ACCESS_MODES.includes(accessMode)) {
    throw inputError(where, `storage.accessMode ${quote(accessMode)} is not an access mode`, `use PersistentVolumeAccessMode (${ACCESS_MODES.join(', ')})`);
  }
  let storageClassName: string | undefined;
  if (storage.storageClass !== undefined) {
    const storageClass = checkInstance<Prerequisite>(where, 'storage.storageClass', storage.storageClass, 'kind', 'a StorageClass prerequisite (Prerequisite.storageClass(scope, name))');
    if (storageClass.kind !== 'StorageClass') {
      throw inputError(where, `storage.storageClass is a ${storageClass.kind} prerequisite, not a StorageClass`, 'pass Prerequisite.storageClass(scope, name)');
    }
    storageClassName = storageClass.name;
  }
  return {
    claimTemplate: {
      metadata: { name },
      spec: { accessModes: [accessMode], ...(storageClassName ? { storageClassName } : {}), resources: { requests: { storage: size } } },
    },
    mount: { name, mountPath: validateMountPath(where, 'storage.mountPath', storage.mountPath) },
  };
}
