import { list, record } from './cluster-facts';
import { podOf } from '../../../k8s/evaluated-object';
import { isClusterScoped } from '../../../k8s/kinds';
import { PolicyObject } from '../../../k8s/policy-object';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { EvaluationFacts } from '../../rule-api/evaluation-facts';
import { Severity } from '../../rule-api/severity';

/** A name in a manifest that must be an object of the cluster. */
interface Reference {
  /** The JSON pointer of the field. */
  readonly field: string;
  readonly kind: string;
  readonly name: string;
  /** Whether the kind is cluster-scoped (else the object is in the referring object's namespace). */
  readonly clusterScoped?: boolean;
}

/** What every cluster has: found without being defined or declared. */
const BUILT_IN: { readonly [kind: string]: (name: string) => boolean } = {
  ServiceAccount: (name) => name === 'default',
  ConfigMap: (name) => name === 'kube-root-ca.crt',
  PriorityClass: (name) => name === 'system-cluster-critical' || name === 'system-node-critical',
  ClusterRole: (name) => ['cluster-admin', 'admin', 'edit', 'view'].includes(name) || name.startsWith('system:'),
};

/**
 * Every object a manifest names by name is in the set or declared as a prerequisite (`Prerequisite.secret(…)`,
 * a cdk8s-plus `fromXxxName` import): the PriorityClass, RuntimeClass, ServiceAccount, image pull Secrets,
 * ConfigMaps, Secrets and PersistentVolumeClaims of a pod spec (volumes, projected volumes, env and envFrom; not
 * those marked `optional`), the StorageClass of a claim (a PersistentVolumeClaim, a StatefulSet's claim templates, an
 * ephemeral volume), and the Role or ClusterRole of a binding. Otherwise the API server admits the
 * workload and then refuses every pod (`no PriorityClass with name … was found`), or the pod never starts.
 * Selectors and autoscaler targets are K8S-SELECTOR-MATCHES'.
 */
export class ReferencesResolveRule extends CrossObjectCheck {
  public constructor() {
    super({
      id: 'K8S-REFERENCES-RESOLVE',
      title: 'Every object a manifest names is defined in the app or declared as a prerequisite',
      rationale: 'A workload that names a PriorityClass, ServiceAccount, ConfigMap, Secret or claim the cluster does not have is '
        + 'admitted, and then every pod is refused or never starts; nothing else reports it before the rollout.',
      severity: Severity.WARNING,
      standard: 'Kubernetes object references (admission of pods)',
      fix: 'Add the object the manifest names to the manifests, or correct the name; if the platform provides it, make sure the cluster has it '
        + 'before the rollout.',
      constructFix: 'Define it in the app (e.g. new PriorityClass(...)), or declare what the platform provides: '
        + 'Prerequisite.priorityClass(scope, name), Prerequisite.secret(scope, name), … (or a cdk8s-plus fromXxxName import).',
      admission: AdmissionCheck.notExpressible('looks up other objects by name (cross-object)'),
    });
  }

  protected judgeSet(objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void {
    // A cluster-scoped object is found by kind and name (a chart's namespace on it is dropped by the API server).
    const known = new Set([...objects, ...facts.prerequisites].map((o) => key(o.kind, isClusterScoped(o.kind) ? undefined : o.namespace, o.name)));
    for (const object of objects) {
      const references = referencesOf(object);
      if (references.length === 0) continue;
      const resolves = (r: Reference) => BUILT_IN[r.kind]?.(r.name) || known.has(key(r.kind, r.clusterScoped ? undefined : object.namespace, r.name));
      const unresolved = references.filter((r) => !resolves(r));
      const where = (r: Reference) => `${r.field}: ${r.kind} ${r.clusterScoped || !object.namespace ? '' : `${object.namespace}/`}${r.name}`;
      results.judge(object, unresolved.length ? [`names what the app neither defines nor declares: ${unresolved.map(where).join(', ')}`] : []);
    }
  }
}

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

function referencesOf(object: PolicyObject): Reference[] {
  const manifest = object.manifest;
  if ((object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') && object.apiVersion.startsWith('rbac.authorization.k8s.io/')) {
    const role = record(manifest.roleRef);
    if (typeof role?.name !== 'string' || (role.kind !== 'Role' && role.kind !== 'ClusterRole')) return [];
    return [{ field: '/roleRef', kind: role.kind, name: role.name, clusterScoped: role.kind === 'ClusterRole' }];
  }
  const refs: Reference[] = [];
  // An empty name is no reference (storageClassName "" asks for a volume without a class).
  const add = (field: string, kind: string, name: unknown, clusterScoped?: boolean) => {
    if (typeof name === 'string' && name !== '') refs.push({ field, kind, name, clusterScoped });
  };
  if (object.kind === 'PersistentVolumeClaim' && object.apiVersion === 'v1') {
    add('/spec/storageClassName', 'StorageClass', record(manifest.spec)?.storageClassName, true);
    return refs;
  }
  const pod = podOf(object);
  if (!pod) return [];
  const at = pod.pointer;
  const spec = pod.spec;
  if (object.kind === 'StatefulSet') {
    list(record(manifest.spec)?.volumeClaimTemplates).forEach((claim, i) =>
      add(`/spec/volumeClaimTemplates/${i}/spec/storageClassName`, 'StorageClass', claim?.spec?.storageClassName, true));
  }
  add(`${at}/priorityClassName`, 'PriorityClass', spec.priorityClassName, true);
  add(`${at}/runtimeClassName`, 'RuntimeClass', spec.runtimeClassName, true);
  add(spec.serviceAccountName ? `${at}/serviceAccountName` : `${at}/serviceAccount`, 'ServiceAccount', spec.serviceAccountName || spec.serviceAccount);
  list(spec.imagePullSecrets).forEach((s, i) => add(`${at}/imagePullSecrets/${i}`, 'Secret', s?.name));
  list(spec.volumes).forEach((volume, i) => {
    const v = `${at}/volumes/${i}`;
    if (volume?.configMap && !volume.configMap.optional) add(`${v}/configMap`, 'ConfigMap', volume.configMap.name);
    if (volume?.secret && !volume.secret.optional) add(`${v}/secret`, 'Secret', volume.secret.secretName);
    add(`${v}/persistentVolumeClaim`, 'PersistentVolumeClaim', volume?.persistentVolumeClaim?.claimName);
    add(`${v}/ephemeral/volumeClaimTemplate/spec/storageClassName`, 'StorageClass', volume?.ephemeral?.volumeClaimTemplate?.spec?.storageClassName, true);
    list(volume?.projected?.sources).forEach((source, j) => {
      if (source?.configMap && !source.configMap.optional) add(`${v}/projected/sources/${j}/configMap`, 'ConfigMap', source.configMap.name);
      if (source?.secret && !source.secret.optional) add(`${v}/projected/sources/${j}/secret`, 'Secret', source.secret.name);
    });
  });
  for (const { container, pointer } of pod.containers) {
    list(container?.env).forEach((env, i) => {
      const from = env?.valueFrom;
      if (from?.configMapKeyRef && !from.configMapKeyRef.optional) add(`${pointer}/env/${i}`, 'ConfigMap', from.configMapKeyRef.name);
      if (from?.secretKeyRef && !from.secretKeyRef.optional) add(`${pointer}/env/${i}`, 'Secret', from.secretKeyRef.name);
    });
    list(container?.envFrom).forEach((source, i) => {
      if (source?.configMapRef && !source.configMapRef.optional) add(`${pointer}/envFrom/${i}`, 'ConfigMap', source.configMapRef.name);
      if (source?.secretRef && !source.secretRef.optional) add(`${pointer}/envFrom/${i}`, 'Secret', source.secretRef.name);
    });
  }
  return refs;
}
