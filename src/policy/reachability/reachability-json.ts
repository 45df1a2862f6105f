import { PROTOCOLS } from './connection-set';
import { Reachability, ReachabilityPeer } from './reachability';

/**
 * A peer in JSON: `{ "name": "shop/web[Deployment]", "type": "workload", "namespace": "shop", "workload": "web",
 * "kind": "Deployment" }` or `{ "name": "10.0.0.0-10.255.255.255[External]", "type": "external", "ipVersion": 4,
 * "first": "10.0.0.0", "last": "10.255.255.255" }`.
 */
export type PeerJson =
  | { readonly name: string; readonly type: 'workload'; readonly namespace: string; readonly workload: string; readonly kind: string }
  | { readonly name: string; readonly type: 'external'; readonly ipVersion: number; readonly first: string; readonly last: string };

/**
 * A connection in JSON: `{ "source": "…", "destination": "…", "connections": "TCP 80,UDP 53", "all": false,
 * "protocols": { "TCP": [[80, 80]], "UDP": [[53, 53]] } }`: the text form, whether it is every connection, and each
 * protocol that has ports with its sorted disjoint ranges `[first, last]` (with `all`, every protocol is `[[1, 65535]]`).
 */
export interface ConnectionJson {
  /** The source peer's name. */
  readonly source: string;
  /** The destination peer's name. */
  readonly destination: string;
  /** The connections as the text writes them (`All Connections`, `TCP 80,UDP 53`). */
  readonly connections: string;
  /** Whether every port of every protocol is allowed. */
  readonly all: boolean;
  /** Each protocol with allowed ports: its sorted disjoint ranges `[first, last]`. */
  readonly protocols: { readonly [protocol: string]: ReadonlyArray<readonly [number, number]> };
}

/** The result in JSON (`reach --format json`): its peers, its connections (sorted as in the text) and its warnings. */
export interface ReachabilityJson {
  /** Every peer, sorted by name. */
  readonly peers: readonly PeerJson[];
  /** The allowed connections, sorted by source then destination. */
  readonly connections: readonly ConnectionJson[];
  /** Objects left out or read with an assumption. */
  readonly warnings: readonly string[];
}

/** The result as the stable JSON structure of `reach --format json`. */
export function reachabilityJson(reachability: Reachability): ReachabilityJson {
  return {
    peers: reachability.peers.map(peerJson),
    connections: reachability.connections.map(({ source, destination, connections }) => {
      const protocols: { [protocol: string]: Array<[number, number]> } = {};
      for (const protocol of PROTOCOLS) {
        const ranges = connections.portsOf(protocol);
        if (ranges.length > 0) protocols[protocol] = ranges.map((r): [number, number] => [r.first, r.last]);
      }
      return { source: source.name, destination: destination.name, connections: connections.toString(), all: connections.isAll, protocols };
    }),
    warnings: reachability.warnings,
  };
}

function peerJson(peer: ReachabilityPeer): PeerJson {
  if (peer.workload) {
    return { name: peer.name, type: 'workload', namespace: peer.workload.namespace, workload: peer.workload.name, kind: peer.workload.kind };
  }
  const range = peer.external!;
  return { name: peer.name, type: 'external', ipVersion: range.version, first: range.firstAddress, last: range.lastAddress };
}
