// Manifests for the reachability tests, and the connection list they give as a map.
import { evaluateReachability, Reachability } from '../../../src/policy/reachability/reachability';

/** A Namespace with labels. */
export function namespace(name: string, labels: { [key: string]: string } = {}): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** A Deployment in the namespace whose pods carry the labels and container ports. */
export function deployment(ns: string | undefined, name: string, labels: { [key: string]: string }, ports: any[] = []): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(ns ? { namespace: ns } : {}) },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x', ports }] } } },
  };
}

/** A NetworkPolicy with the spec. */
export function networkPolicy(ns: string | undefined, name: string, spec: unknown): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec };
}

/** The allowed connections as `SRC => DST` → connections text. */
export function connectionsOf(reachability: Reachability): Map<string, string> {
  return new Map(reachability.connections.map((c) => [`${c.source.name} => ${c.destination.name}`, c.connections.toString()]));
}

/** Evaluates the manifests and returns the connections as a map, and the warnings. */
export function reach(manifests: unknown[]): { connections: Map<string, string>; warnings: readonly string[]; peers: string[] } {
  const result = evaluateReachability(manifests);
  return { connections: connectionsOf(result), warnings: result.warnings, peers: result.peers.map((p) => p.name) };
}

/** The whole IPv4 space as an external peer. */
export const ANYWHERE = '0.0.0.0-255.255.255.255[External]';
