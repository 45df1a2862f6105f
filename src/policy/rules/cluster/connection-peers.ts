// The peers of the connection queries (policy/reachability/connection-query.ts) that the reachability rules of the
// cluster-fit pack ask about: the workload of an object, an address.
import { parseCidrRange, parseIp } from '../../../k8s/cidr';
import { PolicyObject } from '../../../k8s/policy-object';
import { ConnectionQuery, QueryPeer } from '../../reachability/connection-query';
import { workloadNameOf } from '../../reachability/workloads';

/**
 * The workload an object is to the queries, or undefined when they do not read it as one (a custom kind, a PodTemplate,
 * a pod template the API server would refuse).
 */
export function workloadPeerOf(query: ConnectionQuery, object: PolicyObject): QueryPeer | undefined {
  const name = workloadNameOf(object.manifest);
  const workload = name === undefined ? undefined : query.workloadNamed(name);
  return workload ? ConnectionQuery.workloadPeer(workload) : undefined;
}

/** One IP address (or a one-address CIDR) as a peer, or undefined when the text is none. */
export function addressPeer(text: string): QueryPeer | undefined {
  const address = text.replace(/\/(32|128)$/, '');
  const ip = parseIp(address);
  const range = ip ? parseCidrRange(`${address}/${ip.version === 4 ? 32 : 128}`) : undefined;
  return range ? { name: address, address: { version: range.version, first: range.first, last: range.last } } : undefined;
}
