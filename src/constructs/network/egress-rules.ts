import { Lazy } from 'cdk8s';
import type { k8s } from 'cdk8s-plus-27';
import { openEgressReasons, openPeerReasons } from './peers';
import { inputError, quote } from '../../core/errors';
import { Plain } from '../../core/plain';
import { checkList, checkPropsObject, PropKeys } from '../../core/prop-checks';
import { validateIpBlock } from '../../k8s/addresses';
import { dnsEgressRule } from '../../k8s/dns';
import { validatePort, validatePortName } from '../../k8s/ports';
import { cdk8sPlus } from '../base/cdk8s-plus';

const EGRESS_RULE: PropKeys<k8s.NetworkPolicyEgressRule> = { to: true, ports: true };

/**
 * The egress rules of a workload's NetworkPolicy: DNS, then the rules added with `addEgressRule`, each checked alone
 * and together with the others, rendered at synth (so rules added after construction reach the output).
 */
export class EgressRules {
  private readonly rules: Plain<k8s.NetworkPolicyEgressRule>[] = [dnsEgressRule()];

  /**
   * Adds a rule. The rule must name its destinations: a rule without `to` (or with an empty one) would allow every
   * destination and is refused, as are peers that admit everything, ipBlocks reaching a cloud metadata address, ports
   * the API server refuses, and rules that open everything together with the rules added before.
   */
  public add(where: string, rule: k8s.NetworkPolicyEgressRule): void {
    const checked = validateEgressRule(where, rule);
    // Rules add up: blocks that are harmless alone (0.0.0.0/1, then 128.0.0.0/1) must not open everything together.
    const added = [...this.rules.slice(1), checked];
    const together = openEgressReasons(added, added.map((_, i) => (i === added.length - 1 ? 'this rule' : `the rule added ${ordinal(i + 1)}`)));
    if (together.length) {
      throw inputError(where, `together with the rules added before, ${together.join('; ')}`, 'name the destinations: blocks narrower than the whole internet, pods by labels, namespaces by name');
    }
    this.rules.push(checked);
  }

  /** Adds a rule the construct wrote itself (its destinations already checked). */
  public addChecked(rule: Plain<k8s.NetworkPolicyEgressRule>): void {
    this.rules.push(rule);
  }

  /** The `egress` of the NetworkPolicy, resolved at synth. */
  public render(): Plain<k8s.NetworkPolicyEgressRule>[] {
    return Lazy.any({ produce: () => this.rules.map((rule) => ({ ...rule })) }) as unknown as Plain<k8s.NetworkPolicyEgressRule>[];
  }
}

/** Checks a raw egress rule as the API server would, and refuses what would open egress to everything. */
function validateEgressRule(where: string, given: k8s.NetworkPolicyEgressRule): Plain<k8s.NetworkPolicyEgressRule> {
  const rule = cdk8sPlus().k8s.toJson_NetworkPolicyEgressRule(checkPropsObject(where, given, EGRESS_RULE, 'the rule')) as Plain<k8s.NetworkPolicyEgressRule>;
  const to = rule.to === undefined ? [] : checkList<Plain<k8s.NetworkPolicyPeer>>(where, 'to', rule.to);
  if (to.length === 0) {
    throw inputError(where, 'the rule names no destination ("to" is missing or empty), which a NetworkPolicy reads as "every destination"', 'list the peers, e.g. { to: [{ ipBlock: { cidr: "10.0.0.0/16" } }], ports: [...] }');
  }
  to.forEach((peer, i) => {
    if (!peer.ipBlock && !peer.podSelector && !peer.namespaceSelector) {
      throw inputError(where, `to[${i}] selects nothing`, 'set podSelector, namespaceSelector or ipBlock');
    }
    if (peer.ipBlock) validateIpBlock(where, peer.ipBlock.cidr, peer.ipBlock.except, { what: `to[${i}].ipBlock`, allowCloudMetadata: false });
  });
  const open = openPeerReasons(to, 'egress');
  if (open.length) throw inputError(where, `the peers ${open.join('; ')}`, 'name the destinations: pods by labels, namespaces by name, or blocks narrower than the whole internet');
  (rule.ports === undefined ? [] : checkList<Plain<k8s.NetworkPolicyPort>>(where, 'ports', rule.ports)).forEach((port, i) => {
    if (port.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) {
      throw inputError(where, `ports[${i}].protocol ${quote(port.protocol)} is not TCP, UDP or SCTP`, 'use "TCP", "UDP" or "SCTP"');
    }
    const number = typeof port.port === 'number' ? validatePort(where, `ports[${i}].port`, port.port) : undefined;
    if (typeof port.port === 'string') validatePortName(where, port.port);
    if (port.endPort !== undefined && (number === undefined || validatePort(where, `ports[${i}].endPort`, port.endPort) < number)) {
      throw inputError(where, `ports[${i}].endPort ${quote(port.endPort)} needs a numeric port at or below it`, 'use { port: 8000, endPort: 8080 }');
    }
  });
  return rule;
}

function ordinal(n: number): string {
  return n === 1 ? 'first' : n === 2 ? 'second' : n === 3 ? 'third' : `${n}th`;
}
