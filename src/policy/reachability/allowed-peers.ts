// What the policies that select a pod in one direction allow it: for every class of peers and every address range, the
// union of the connections their rules admit. A pod no policy selects in a direction has no such table: it is open.
import { AddressPartition } from './address-ranges';
import { ConnectionSet } from './connection-set';
import { PolicyRule, PolicyRules } from './network-policy-rules';
import { PeerClasses } from './peer-classes';

/** A rule with the peers it admits found: classes of workloads and address ranges. */
export interface ResolvedRule {
  /** The rule. */
  readonly rule: PolicyRule;
  /** The classes its peers select (every class when it admits every peer). */
  readonly classes: readonly number[];
  /** The address ranges its ipBlocks hold (every range when it admits every peer). */
  readonly ranges: readonly number[];
}

/** A policy with its rules resolved. */
export interface ResolvedPolicy {
  /** Its place among the policies read (a stable identity). */
  readonly order: number;
  /** The policy. */
  readonly policy: PolicyRules;
  /** Its ingress rules (none when Ingress is not among its policyTypes). */
  readonly ingress: readonly ResolvedRule[];
  /** Its egress rules (none when Egress is not among its policyTypes). */
  readonly egress: readonly ResolvedRule[];
  /** Whether a rule of a direction names a port by name (then what it allows depends on the destination's ports). */
  readonly namesPorts: boolean;
}

/** For each class of peers and each address range, the connections allowed (NONE when none). */
export interface AllowedPeers {
  /** By class index. */
  readonly classes: readonly ConnectionSet[];
  /** By address range index. */
  readonly ranges: readonly ConnectionSet[];
}

/**
 * Finds the peers of a policy's rules.
 * @param sources the source address ranges (ingress ipBlocks cut them)
 * @param destinations the destination address ranges (egress ipBlocks cut them)
 */
export function resolvePolicy(
  order: number, policy: PolicyRules, classes: PeerClasses, sources: AddressPartition, destinations: AddressPartition,
): ResolvedPolicy {
  const resolve = (rule: PolicyRule, ranges: AddressPartition): ResolvedRule => {
    if (rule.everyPeer) return { rule, classes: classes.classes.map((c) => c.index), ranges: ranges.ranges.map((_, i) => i) };
    const selected = rule.podPeers.length === 1
      ? classes.selectedBy(rule.podPeers[0], policy.namespace)
      : [...new Set(rule.podPeers.flatMap((peer) => classes.selectedBy(peer, policy.namespace)))];
    const held = rule.ipBlocks.length === 1
      ? ranges.indexesOf(rule.ipBlocks[0])
      : [...new Set(rule.ipBlocks.flatMap((block) => ranges.indexesOf(block)))];
    return { rule, classes: selected, ranges: held };
  };
  const ingress = policy.ingress ? policy.ingressRules.map((r) => resolve(r, sources)) : [];
  const egress = policy.egress ? policy.egressRules.map((r) => resolve(r, destinations)) : [];
  return { order, policy, ingress, egress, namesPorts: [...ingress, ...egress].some((r) => r.rule.ports.named.length > 0) };
}

/**
 * What the egress rules of the policies allow a pod they all select: to each class, the union of the ports of the
 * rules that admit it (named ports resolved on that class's containers); to each address range, the union of the
 * numbered ports of the rules that hold it (a named port resolves on a pod, so it admits no address).
 */
export function egressAllowed(policies: readonly ResolvedPolicy[], classes: PeerClasses, rangeCount: number): AllowedPeers {
  const toClasses = new Array<ConnectionSet>(classes.classes.length).fill(ConnectionSet.NONE);
  const toRanges = new Array<ConnectionSet>(rangeCount).fill(ConnectionSet.NONE);
  for (const policy of policies) {
    for (const { rule, classes: admitted, ranges } of policy.egress) {
      const { numbered, named } = rule.ports;
      for (const c of admitted) {
        toClasses[c] = toClasses[c].union(named.length === 0 ? numbered : numbered.union(classes.resolve(c, named)));
      }
      for (const r of ranges) toRanges[r] = toRanges[r].union(numbered);
    }
  }
  return { classes: toClasses, ranges: toRanges };
}

/**
 * What the ingress rules of the policies allow into a pod of class `destination` that they all select: from each class
 * and each address range, the union of the ports of the rules that admit it, named ports resolved on the destination.
 */
export function ingressAllowed(policies: readonly ResolvedPolicy[], classes: PeerClasses, destination: number, rangeCount: number): AllowedPeers {
  const fromClasses = new Array<ConnectionSet>(classes.classes.length).fill(ConnectionSet.NONE);
  const fromRanges = new Array<ConnectionSet>(rangeCount).fill(ConnectionSet.NONE);
  for (const policy of policies) {
    for (const { rule, classes: admitted, ranges } of policy.ingress) {
      const { numbered, named } = rule.ports;
      const ports = named.length === 0 ? numbered : numbered.union(classes.resolve(destination, named));
      if (ports.isEmpty) continue;
      for (const c of admitted) fromClasses[c] = fromClasses[c].union(ports);
      for (const r of ranges) fromRanges[r] = fromRanges[r].union(ports);
    }
  }
  return { classes: fromClasses, ranges: fromRanges };
}
