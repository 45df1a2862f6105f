// CiliumNetworkPolicies (cilium.io/v2) read into L3/L4 rules, for the connection queries (connection-query.ts).
//
// What is modelled, as Cilium's default enforcement mode applies it:
// - `endpointSelector` over the pod's labels (a `k8s:` prefix is the same label), `k8s:io.kubernetes.pod.namespace`, and
//   the namespace's labels as `io.cilium.k8s.namespace.labels.<key>`; a namespaced policy selects pods of its namespace only;
// - a policy with `egress` or `egressDeny` rules puts the pods it selects in default deny for egress (likewise ingress),
//   unless its `enableDefaultDeny` says false for that direction; Cilium and Kubernetes NetworkPolicies then add up: a
//   connection is allowed when a rule of either kind admits it (Cilium translates both into one policy per endpoint);
// - `toEndpoints`/`fromEndpoints` (a selector without a namespace label selects the policy's namespace), `toCIDR`/
//   `fromCIDR`, `toCIDRSet`/`fromCIDRSet` with `except`, `toFQDNs` (`matchName`, `matchPattern` with `*`: named hosts),
//   `toEntities`/`fromEntities` `world` (every address and host outside the cluster), `cluster` (every pod) and `all`;
//   `toPorts` ports with `protocol` TCP, UDP, SCTP or ANY and `endPort`; a rule without an L3 field admits every peer;
// - `egressDeny`/`ingressDeny` (same peers and ports): deny wins over every allow, of either kind.
// Not modelled: L7 rules (`toPorts[].rules`: HTTP, Kafka, DNS patterns) — the L4 port counts as allowed for any request;
// named ports in `toPorts`, `toServices`, `toGroups`, `toRequires`/`fromRequires`, `icmps`, node and other entities
// (`host`, `remote-node`, `kube-apiserver`, …): a rule with one admits nothing through it and the reading notes it;
// CiliumClusterwideNetworkPolicy; the `always`/`never` enforcement modes; which addresses a name resolves to (a name
// admitted by toFQDNs is only that name; an address is only admitted by an address rule).
import { AddressInterval, ipBlockIntervals } from './address-ranges';
import { ConnectionSet, Protocol } from './connection-set';
import { isPlainObject } from './label-selector';
import { namespaceOf } from './workloads';
import { parseCidrRange } from '../../k8s/cidr';

/** The peers and ports of one Cilium rule. */
export interface CiliumRule {
  /** Admits every peer (no L3 field, or the entity `all`). */
  readonly everyPeer: boolean;
  /** Admits every pod of the cluster (entity `cluster`). */
  readonly everyPod: boolean;
  /** Admits every address and host outside the cluster (entity `world`). */
  readonly world: boolean;
  /** Endpoint selectors, keys normalised (no `k8s:` prefix), each with the namespace it is limited to (undefined: any). */
  readonly endpoints: ReadonlyArray<{ readonly selector: any; readonly namespace?: string }>;
  /** Address blocks, as intervals. */
  readonly blocks: ReadonlyArray<readonly AddressInterval[]>;
  /** Host name patterns (`api.example.com`, `*.example.com`), lower case. */
  readonly fqdns: readonly string[];
  /** The ports. */
  readonly ports: ConnectionSet;
}

/** A CiliumNetworkPolicy as the queries apply it. */
export interface CiliumPolicy {
  /** `CiliumNetworkPolicy namespace/name`. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Its endpoint selector, keys normalised. */
  readonly endpointSelector: any;
  /** Whether it puts the pods it selects in default deny for egress. */
  readonly egressDefaultDeny: boolean;
  /** Whether it does for ingress. */
  readonly ingressDefaultDeny: boolean;
  /** Allow rules. */
  readonly egress: readonly CiliumRule[];
  readonly ingress: readonly CiliumRule[];
  /** Deny rules (deny wins). */
  readonly egressDeny: readonly CiliumRule[];
  readonly ingressDeny: readonly CiliumRule[];
}

/** The label the endpoint's namespace is known by. */
export const CILIUM_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
/** The prefix of the namespace's labels as endpoint labels. */
export const CILIUM_NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';

const L3_FIELDS = ['Endpoints', 'CIDR', 'CIDRSet', 'FQDNs', 'Entities', 'Services', 'Groups', 'Nodes'];
const KNOWN_RULE_FIELDS = new Set(['toEndpoints', 'fromEndpoints', 'toCIDR', 'fromCIDR', 'toCIDRSet', 'fromCIDRSet', 'toFQDNs', 'toEntities', 'fromEntities', 'toPorts']);

/** Whether a manifest is a CiliumNetworkPolicy. */
export function isCiliumNetworkPolicy(manifest: any): boolean {
  return manifest?.kind === 'CiliumNetworkPolicy' && /^cilium\.io\//.test(String(manifest.apiVersion));
}

/** The CiliumNetworkPolicies of the manifests, with a note for each part left out. */
export function readCiliumPolicies(manifests: readonly any[], notes: string[]): CiliumPolicy[] {
  const policies: CiliumPolicy[] = [];
  for (const manifest of manifests) {
    if (manifest?.kind === 'CiliumClusterwideNetworkPolicy') notes.push(`CiliumClusterwideNetworkPolicy ${manifest.metadata?.name}: not modelled (left out)`);
    if (!isCiliumNetworkPolicy(manifest)) continue;
    const namespace = namespaceOf(manifest);
    const name = `CiliumNetworkPolicy ${namespace}/${manifest.metadata?.name}`;
    const specs = Array.isArray(manifest.specs) ? manifest.specs : [manifest.spec];
    specs.forEach((spec: any, i: number) => {
      if (!isPlainObject(spec) || !isPlainObject(spec.endpointSelector)) {
        notes.push(`${name}: a spec without endpointSelector is not modelled (left out)`);
        return;
      }
      const read = (field: string, peers: 'to' | 'from') => (Array.isArray(spec[field]) ? spec[field] : [])
        .map((rule: any, j: number) => readRule(rule, peers, namespace, `${name} ${field} rule ${j}`, notes));
      const hasEgress = Array.isArray(spec.egress) || Array.isArray(spec.egressDeny);
      const hasIngress = Array.isArray(spec.ingress) || Array.isArray(spec.ingressDeny);
      policies.push({
        name: specs.length > 1 ? `${name} (spec ${i})` : name,
        namespace,
        endpointSelector: normaliseSelector(spec.endpointSelector),
        egressDefaultDeny: hasEgress && spec.enableDefaultDeny?.egress !== false,
        ingressDefaultDeny: hasIngress && spec.enableDefaultDeny?.ingress !== false,
        egress: read('egress', 'to'),
        ingress: read('ingress', 'from'),
        egressDeny: read('egressDeny', 'to'),
        ingressDeny: read('ingressDeny', 'from'),
      });
    });
  }
  return policies;
}

/** A selector with `k8s:` (and `any:`) prefixes taken off its keys. */
export function normaliseSelector(selector: any): any {
  const key = (k: string) => k.replace(/^(k8s|any):/, '');
  const matchLabels = isPlainObject(selector?.matchLabels)
    ? Object.fromEntries(Object.entries(selector.matchLabels).map(([k, v]) => [key(k), v])) : undefined;
  const matchExpressions = Array.isArray(selector?.matchExpressions)
    ? selector.matchExpressions.map((e: any) => ({ ...e, key: key(String(e?.key)) })) : undefined;
  return { ...(matchLabels ? { matchLabels } : {}), ...(matchExpressions ? { matchExpressions } : {}) };
}

/** Whether a selector names the endpoint's namespace (then a namespaced policy's selector is not limited to its own). */
function namesNamespace(selector: any): boolean {
  return CILIUM_NAMESPACE_LABEL in (selector.matchLabels ?? {})
    || (selector.matchExpressions ?? []).some((e: any) => e.key === CILIUM_NAMESPACE_LABEL);
}

function readRule(rule: any, peers: 'to' | 'from', namespace: string, where: string, notes: string[]): CiliumRule {
  const r = isPlainObject(rule) ? rule : {};
  for (const field of Object.keys(r)) {
    if (!KNOWN_RULE_FIELDS.has(field)) notes.push(`${where}: ${field} is not modelled (it admits nothing here)`);
  }
  const everyPeerByAbsence = !L3_FIELDS.some((f) => r[`${peers}${f}`] !== undefined);
  const entities: string[] = Array.isArray(r[`${peers}Entities`]) ? r[`${peers}Entities`] : [];
  for (const entity of entities) {
    if (!['all', 'world', 'cluster'].includes(entity)) notes.push(`${where}: entity ${JSON.stringify(entity)} is not modelled (it admits nothing here)`);
  }
  const endpoints = (Array.isArray(r[`${peers}Endpoints`]) ? r[`${peers}Endpoints`] : []).map((s: any) => {
    const selector = normaliseSelector(s);
    return { selector, ...(namesNamespace(selector) ? {} : { namespace }) };
  });
  const blocks: AddressInterval[][] = [];
  for (const cidr of Array.isArray(r[`${peers}CIDR`]) ? r[`${peers}CIDR`] : []) {
    const range = parseCidrRange(String(cidr));
    if (range) blocks.push(ipBlockIntervals(range, []));
    else notes.push(`${where}: CIDR ${JSON.stringify(cidr)} is not valid (left out)`);
  }
  for (const set of Array.isArray(r[`${peers}CIDRSet`]) ? r[`${peers}CIDRSet`] : []) {
    const range = typeof set?.cidr === 'string' ? parseCidrRange(set.cidr) : undefined;
    if (!range) {
      notes.push(`${where}: a CIDRSet entry without a valid cidr is not modelled (left out)`);
      continue;
    }
    const except = (Array.isArray(set.except) ? set.except : [])
      .map((e: unknown) => parseCidrRange(String(e))).filter((e: unknown) => e !== undefined);
    blocks.push(ipBlockIntervals(range, except));
  }
  const fqdns: string[] = [];
  for (const f of peers === 'to' && Array.isArray(r.toFQDNs) ? r.toFQDNs : []) {
    const pattern = typeof f?.matchName === 'string' ? f.matchName : typeof f?.matchPattern === 'string' ? f.matchPattern : undefined;
    if (pattern) fqdns.push(pattern.toLowerCase().replace(/\.$/, ''));
  }
  return {
    everyPeer: everyPeerByAbsence || entities.includes('all'),
    everyPod: entities.includes('cluster'),
    world: entities.includes('world'),
    endpoints,
    blocks,
    fqdns,
    ports: readPorts(r.toPorts, where, notes),
  };
}

function readPorts(toPorts: unknown, where: string, notes: string[]): ConnectionSet {
  if (!Array.isArray(toPorts) || toPorts.length === 0) return ConnectionSet.ALL;
  let ports = ConnectionSet.NONE;
  for (const entry of toPorts) {
    if (isPlainObject(entry?.rules)) notes.push(`${where}: L7 rules (${Object.keys(entry.rules).join(', ')}) are not modelled: the L4 ports count as allowed`);
    const listed = Array.isArray(entry?.ports) ? entry.ports : [];
    if (listed.length === 0) return ConnectionSet.ALL;
    for (const p of listed) {
      const protocols: Protocol[] = p?.protocol === undefined || p.protocol === 'ANY' ? ['TCP', 'UDP', 'SCTP'] : [p.protocol];
      const number = p?.port === undefined ? 0 : Number(p.port);
      if (!Number.isInteger(number)) {
        notes.push(`${where}: the named port ${JSON.stringify(p.port)} is not modelled (it admits nothing)`);
        continue;
      }
      for (const protocol of protocols) {
        if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) continue;
        ports = ports.union(number === 0 ? ConnectionSet.everyPortOf(protocol) : ConnectionSet.ports(protocol, number, Number(p.endPort ?? number)));
      }
    }
  }
  return ports;
}

/** Whether a Cilium host pattern matches a host name: `*` alone matches every name, else `*` matches within one label. */
export function fqdnMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === host;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[-a-z0-9_]*')}$`);
  return regex.test(host);
}
