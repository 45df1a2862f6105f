// The workloads whose pods the policies select: one per owner, as netpol-analyzer groups pods.
import { isProtocol, Protocol } from './connection-set';
import { isPlainObject } from './label-selector';

/** A container port, for resolving named ports. */
export interface ContainerPort {
  /**
   * Its name.
   * @default - unnamed
   */
  readonly name?: string;
  /** Its number. */
  readonly port: number;
  /** Its protocol (TCP when the manifest names none). */
  readonly protocol: Protocol;
}

/** Pods grouped by their owner: what a connection list names as `namespace/name[Kind]`. */
export interface Workload {
  /** The namespace (`default` when the manifest names none). */
  readonly namespace: string;
  /** The owner's name (a bare pod's own name). */
  readonly name: string;
  /** The owner's kind: Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, or Pod for a bare pod. */
  readonly kind: string;
  /** The labels of its pods (of the first pod read, when pods of one owner differ). */
  readonly labels: { readonly [key: string]: string };
  /** The ports of its pods' containers. */
  readonly ports: readonly ContainerPort[];
}

/** The workloads of a set of manifests, and what was left out. */
export interface WorkloadReading {
  /** The workloads. */
  readonly workloads: Workload[];
  /** Objects left out or read with an assumption, and why. */
  readonly warnings: string[];
}

/** The namespace of a namespaced object: `default` when its manifest names none. */
export function namespaceOf(manifest: any): string {
  const namespace = manifest?.metadata?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : 'default';
}

/** Where each workload kind keeps its pod template, and the API groups it is served from. */
const TEMPLATES: { readonly [kind: string]: { readonly groups: readonly string[]; readonly template: (m: any) => any } } = {
  Pod: { groups: [''], template: (m) => m },
  ReplicationController: { groups: [''], template: (m) => m.spec?.template },
  Deployment: { groups: ['apps', 'extensions'], template: (m) => m.spec?.template },
  StatefulSet: { groups: ['apps'], template: (m) => m.spec?.template },
  DaemonSet: { groups: ['apps', 'extensions'], template: (m) => m.spec?.template },
  ReplicaSet: { groups: ['apps', 'extensions'], template: (m) => m.spec?.template },
  Job: { groups: ['batch'], template: (m) => m.spec?.template },
  CronJob: { groups: ['batch'], template: (m) => m.spec?.jobTemplate?.spec?.template },
};

/**
 * The workloads of the manifests. Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs and
 * CronJobs are one workload each, with the labels and container ports of their pod template. A Pod with a controller
 * owner reference (other than a Node: a static pod) belongs to that owner — `namespace/owner[OwnerKind]`, the direct
 * owner as the reference names it (a ReplicaSet, even when a Deployment owns the ReplicaSet), `[Pod]` when the reference
 * has no kind — and pods of one owner are one workload; a Pod without one is its own workload `[Pod]`. An object given
 * twice (same kind, namespace and name) counts once, as the later one (kubectl applies both in turn).
 */
export function readWorkloads(manifests: readonly any[]): WorkloadReading {
  const warnings: string[] = [];
  const latest = new Map<string, any>();
  for (const manifest of manifests) {
    const kind = manifest?.kind;
    if (typeof kind !== 'string' || !(kind in TEMPLATES)) continue;
    const group = String(manifest.apiVersion ?? '').includes('/') ? String(manifest.apiVersion).split('/')[0] : '';
    if (!TEMPLATES[kind].groups.includes(group)) continue;
    latest.set(`${kind}\u0000${namespaceOf(manifest)}\u0000${manifest.metadata?.name}`, manifest);
  }
  const workloads = new Map<string, Workload>();
  for (const manifest of latest.values()) {
    const kind: string = manifest.kind;
    const namespace = namespaceOf(manifest);
    const objectName = `${kind} ${namespace}/${manifest.metadata?.name}`;
    if (typeof manifest.metadata?.name !== 'string' || manifest.metadata.name === '') {
      warnings.push(`${kind} in ${namespace} has no name: left out`);
      continue;
    }
    const template = TEMPLATES[kind].template(manifest);
    const labels = template?.metadata?.labels ?? {};
    if (!isPlainObject(template) || !isPlainObject(template.spec) || !Array.isArray(template.spec.containers)) {
      warnings.push(`${objectName} has no pod ${kind === 'Pod' ? 'spec' : 'template'} with containers: left out (the API server would refuse it)`);
      continue;
    }
    if (!isPlainObject(labels) || Object.values(labels).some((v) => typeof v !== 'string')) {
      warnings.push(`${objectName}: its pod labels are not a map of strings: left out (the API server would refuse it)`);
      continue;
    }
    const owner = kind === 'Pod' ? controllerOf(manifest) : undefined;
    const workload: Workload = {
      namespace,
      name: owner?.name || manifest.metadata.name,
      kind: owner ? owner.kind || 'Pod' : kind,
      labels,
      ports: containerPorts(template.spec.containers),
    };
    const key = `${namespace}/${workload.name}[${workload.kind}]`;
    const first = workloads.get(key);
    if (!first) {
      workloads.set(key, workload);
    } else if (!sameLabels(first.labels, workload.labels)) {
      warnings.push(`${key}: its pods have different labels; it is evaluated with the labels of the first one read (${JSON.stringify(first.labels)})`);
    }
  }
  return { workloads: [...workloads.values()], warnings };
}

/**
 * The name a workload read from this manifest goes by, `namespace/name[Kind]` (as readWorkloads groups pods and
 * ConnectionQuery names peers), or undefined when the manifest is no workload it reads (another kind or API group, no
 * name). Its pod template is not checked: readWorkloads may still leave it out.
 */
export function workloadNameOf(manifest: any): string | undefined {
  const kind = manifest?.kind;
  if (typeof kind !== 'string' || !(kind in TEMPLATES) || typeof manifest.metadata?.name !== 'string' || manifest.metadata.name === '') return undefined;
  const group = String(manifest.apiVersion ?? '').includes('/') ? String(manifest.apiVersion).split('/')[0] : '';
  if (!TEMPLATES[kind].groups.includes(group)) return undefined;
  const owner = kind === 'Pod' ? controllerOf(manifest) : undefined;
  return `${namespaceOf(manifest)}/${owner?.name || manifest.metadata.name}[${owner ? owner.kind || 'Pod' : kind}]`;
}

/** The controller owner reference of a pod (undefined for none, and for a Node: a static pod is its own workload). */
function controllerOf(pod: any): { name?: string; kind?: string } | undefined {
  const references = pod.metadata?.ownerReferences;
  if (!Array.isArray(references)) return undefined;
  const controller = references.find((r) => isPlainObject(r) && r.controller === true);
  if (!controller || controller.kind === 'Node') return undefined;
  return { name: typeof controller.name === 'string' ? controller.name : undefined, kind: typeof controller.kind === 'string' ? controller.kind : undefined };
}

/** The ports of the containers (not init containers: a named port names a serving container's port). */
function containerPorts(containers: unknown[]): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const container of containers) {
    const listed = isPlainObject(container) && Array.isArray(container.ports) ? container.ports : [];
    for (const p of listed) {
      if (!isPlainObject(p) || !Number.isInteger(p.containerPort)) continue;
      const protocol = p.protocol ?? 'TCP';
      if (!isProtocol(protocol)) continue;
      ports.push({ ...(typeof p.name === 'string' && p.name !== '' ? { name: p.name } : {}), port: p.containerPort, protocol });
    }
  }
  return ports;
}

function sameLabels(a: { readonly [key: string]: string }, b: { readonly [key: string]: string }): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
