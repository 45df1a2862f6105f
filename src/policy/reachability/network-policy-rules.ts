// A NetworkPolicy read into the rules the evaluator applies, after the checks the API server makes: a policy it would
// refuse never exists in a cluster, so it is left out with the reason instead of being guessed at.
import { AddressInterval, ipBlockIntervals } from './address-ranges';
import { ConnectionSet, isProtocol, Protocol } from './connection-set';
import { describeValue, isPlainObject, labelSelectorProblem } from './label-selector';
import { MAX_PORT, MIN_PORT } from './port-ranges';
import { CidrRange, parseCidrRange } from '../../k8s/cidr';
import { effectivePolicyTypes } from '../../k8s/network-policy';

/** A named port of a rule: resolved on the destination pod's container ports (name and protocol). */
export interface NamedPort {
  /** The protocol of the rule's port entry. */
  readonly protocol: Protocol;
  /** The port's name. */
  readonly name: string;
}

/** The ports a rule admits. */
export interface RulePorts {
  /** The numbered ports (every port when the rule lists none). */
  readonly numbered: ConnectionSet;
  /** The named ports, resolved per destination. */
  readonly named: readonly NamedPort[];
}

/** A peer of a rule that selects pods: by namespace labels, pod labels, or both (their intersection). */
export interface PodPeer {
  /**
   * The namespaces' selector.
   * @default - the policy's own namespace
   */
  readonly namespaceSelector?: any;
  /**
   * The pods' selector.
   * @default - every pod of the selected namespaces
   */
  readonly podSelector?: any;
}

/** One ingress or egress rule. */
export interface PolicyRule {
  /** Whether the rule admits every peer (`from`/`to` absent or empty). */
  readonly everyPeer: boolean;
  /** Its peers that select pods. */
  readonly podPeers: readonly PodPeer[];
  /** Its ipBlocks, each as the addresses it holds (CIDR without excepts). */
  readonly ipBlocks: ReadonlyArray<readonly AddressInterval[]>;
  /** Its ports. */
  readonly ports: RulePorts;
}

/** A NetworkPolicy as the evaluator applies it. */
export interface PolicyRules {
  /** `namespace/name`. */
  readonly id: string;
  /** Its namespace (`default` when the manifest has none). */
  readonly namespace: string;
  /** The selector of the pods it applies to. */
  readonly podSelector: any;
  /** Whether Ingress is among its effective policyTypes. */
  readonly ingress: boolean;
  /** Whether Egress is among its effective policyTypes. */
  readonly egress: boolean;
  /** Its ingress rules (even when Ingress is not among its policyTypes: their ipBlocks still cut the address space). */
  readonly ingressRules: readonly PolicyRule[];
  /** Its egress rules (likewise). */
  readonly egressRules: readonly PolicyRule[];
}

/** A policy read, or the reason the API server would refuse it. */
export type PolicyReading = { readonly rules: PolicyRules } | { readonly problem: string };

/** A port name as the API server accepts it (IANA_SVC_NAME): up to 15 of a-z, 0-9 and single inner `-`, a letter among them. */
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;

/**
 * Reads a NetworkPolicy manifest into its rules, checked as the API server checks them.
 * @param manifest the NetworkPolicy
 * @param namespace its namespace (`default` when the manifest names none)
 */
export function readPolicyRules(manifest: any, namespace: string): PolicyReading {
  const spec = manifest?.spec;
  if (spec !== undefined && !isPlainObject(spec)) return { problem: `spec is ${describeValue(spec)}, not an object` };
  const body = spec ?? {};
  const podSelector = body.podSelector ?? {};
  const selectorProblem = labelSelectorProblem(podSelector, () => 'spec.podSelector');
  if (selectorProblem) return { problem: selectorProblem };
  const types = body.policyTypes;
  if (types !== undefined && types !== null) {
    if (!Array.isArray(types) || types.some((t) => t !== 'Ingress' && t !== 'Egress')) {
      return { problem: 'spec.policyTypes must be a list of "Ingress" and "Egress"' };
    }
  }
  try {
    const ingressRules = rulesOf(body.ingress, 'ingress', 'from');
    const egressRules = rulesOf(body.egress, 'egress', 'to');
    return {
      rules: { id: `${namespace}/${manifest?.metadata?.name}`, namespace, podSelector, ...effectivePolicyTypes(body), ingressRules, egressRules },
    };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}

function rulesOf(rules: unknown, field: string, peersField: string): PolicyRule[] {
  if (rules === undefined || rules === null) return [];
  if (!Array.isArray(rules)) throw new Error(`spec.${field} is ${describeValue(rules)}, not a list of rules`);
  return rules.map((rule, i) => {
    // Where a problem is, worded only for a problem: most policies have none.
    const where = () => `spec.${field}[${i}]`;
    if (rule !== null && !isPlainObject(rule)) throw new Error(`${where()} is ${describeValue(rule)}, not a rule`);
    const peers = rule?.[peersField];
    if (peers !== undefined && peers !== null && !Array.isArray(peers)) throw new Error(`${where()}.${peersField} is ${describeValue(peers)}, not a list of peers`);
    const listed: unknown[] = peers ?? [];
    const podPeers: PodPeer[] = [];
    const ipBlocks: AddressInterval[][] = [];
    listed.forEach((peer, j) => {
      const read = readPeer(peer, () => `${where()}.${peersField}[${j}]`);
      if ('intervals' in read) ipBlocks.push(read.intervals);
      else podPeers.push(read);
    });
    return { everyPeer: listed.length === 0, podPeers, ipBlocks, ports: readPorts(rule?.ports, () => `${where()}.ports`) };
  });
}

function readPeer(peer: unknown, where: () => string): PodPeer | { intervals: AddressInterval[] } {
  if (!isPlainObject(peer)) throw new Error(`${where()} is ${describeValue(peer)}, not a peer`);
  const { podSelector, namespaceSelector, ipBlock } = peer;
  const has = (value: unknown) => value !== undefined && value !== null;
  if (has(ipBlock)) {
    const at = where();
    if (has(podSelector) || has(namespaceSelector)) throw new Error(`${at} has an ipBlock and a selector; the API server accepts only one of them`);
    if (!isPlainObject(ipBlock)) throw new Error(`${at}.ipBlock is ${describeValue(ipBlock)}, not an object`);
    const cidr = cidrOf(ipBlock.cidr, `${at}.ipBlock.cidr`);
    const except = ipBlock.except ?? [];
    if (!Array.isArray(except)) throw new Error(`${at}.ipBlock.except is ${describeValue(except)}, not a list of CIDRs`);
    const holes = except.map((e: unknown, k: number) => {
      const hole = cidrOf(e, `${at}.ipBlock.except[${k}]`);
      const inside = hole.version === cidr.version && hole.first >= cidr.first && hole.last <= cidr.last;
      if (!inside || (hole.first === cidr.first && hole.last === cidr.last)) {
        throw new Error(`${at}.ipBlock.except[${k}] (${String(e)}) is not strictly inside ${String(ipBlock.cidr)}`);
      }
      return hole;
    });
    return { intervals: ipBlockIntervals(cidr, holes) };
  }
  if (!has(podSelector) && !has(namespaceSelector)) throw new Error(`${where()} names no podSelector, namespaceSelector or ipBlock`);
  const problem = (has(podSelector) ? labelSelectorProblem(podSelector, () => `${where()}.podSelector`) : undefined)
    ?? (has(namespaceSelector) ? labelSelectorProblem(namespaceSelector, () => `${where()}.namespaceSelector`) : undefined);
  if (problem) throw new Error(problem);
  return { ...(has(namespaceSelector) ? { namespaceSelector } : {}), ...(has(podSelector) ? { podSelector } : {}) };
}

function cidrOf(text: unknown, at: string): CidrRange {
  const range = typeof text === 'string' ? parseCidrRange(text) : undefined;
  if (!range) throw new Error(`${at} is ${typeof text === 'string' ? JSON.stringify(text) : describeValue(text)}, not a valid CIDR`);
  return range;
}

function readPorts(ports: unknown, where: () => string): RulePorts {
  if (ports === undefined || ports === null || (Array.isArray(ports) && ports.length === 0)) return { numbered: ConnectionSet.ALL, named: [] };
  if (!Array.isArray(ports)) throw new Error(`${where()} is ${describeValue(ports)}, not a list of ports`);
  let numbered = ConnectionSet.NONE;
  const named: NamedPort[] = [];
  ports.forEach((entry, i) => {
    const at = () => `${where()}[${i}]`;
    if (!isPlainObject(entry)) throw new Error(`${at()} is ${describeValue(entry)}, not a port`);
    const protocol = entry.protocol ?? 'TCP';
    if (!isProtocol(protocol)) throw new Error(`${at()}.protocol is ${JSON.stringify(protocol)}; the API server accepts only TCP, UDP and SCTP`);
    const { port, endPort } = entry;
    const hasEnd = endPort !== undefined && endPort !== null;
    if (port === undefined || port === null) {
      if (hasEnd) throw new Error(`${at()} has an endPort without a port`);
      numbered = numbered.union(ConnectionSet.everyPortOf(protocol));
    } else if (typeof port === 'string') {
      if (!PORT_NAME.test(port)) throw new Error(`${at()}.port ${JSON.stringify(port)} is neither a port number nor a valid port name`);
      if (hasEnd) throw new Error(`${at()} has an endPort with the named port ${JSON.stringify(port)}`);
      named.push({ protocol, name: port });
    } else {
      if (!isPortNumber(port)) throw new Error(`${at()}.port ${JSON.stringify(port)} is not a port from ${MIN_PORT} to ${MAX_PORT}`);
      if (hasEnd && (!isPortNumber(endPort) || endPort < port)) throw new Error(`${at()}.endPort ${JSON.stringify(endPort)} is not a port from ${port} to ${MAX_PORT}`);
      numbered = numbered.union(ConnectionSet.ports(protocol, port, hasEnd ? endPort : port));
    }
  });
  return { numbered, named };
}

function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_PORT && value <= MAX_PORT;
}
