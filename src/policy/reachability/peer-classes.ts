// Workloads that no policy can tell apart — same namespace, same labels, same container ports — form one class, and
// connections are evaluated once per pair of classes instead of once per pair of workloads.
import { ConnectionSet } from './connection-set';
import { NamespaceLabels } from './namespace-labels';
import { NamedPort, PodPeer } from './network-policy-rules';
import { ContainerPort, Workload } from './workloads';
import { selects } from '../../k8s/pod-view';

/** Workloads that every policy treats alike. */
export interface PeerClass {
  /** Its index in `PeerClasses.classes`. */
  readonly index: number;
  /** The namespace. */
  readonly namespace: string;
  /** The pods' labels. */
  readonly labels: { readonly [key: string]: string };
  /** The pods' container ports. */
  readonly ports: readonly ContainerPort[];
}

/** The class indexes of one namespace, with its label pairs indexed, to find the pods a selector may select. */
interface NamespaceIndex {
  readonly all: number[];
  readonly byPair: Map<string, Map<string, number[]>>;
}

/** The classes of a set of workloads, and which classes a rule's peer selects. */
export class PeerClasses {
  /** The classes. */
  public readonly classes: readonly PeerClass[];
  /** For each workload (by its index in the list given), its class. */
  public readonly classOf: readonly number[];
  private readonly byNamespace = new Map<string, NamespaceIndex>();
  private readonly namespaceMatches = new Map<string, string[]>();

  /**
   * @param workloads the workloads
   * @param namespaces the namespaces' labels, for namespaceSelectors
   */
  public constructor(workloads: readonly Workload[], private readonly namespaces: NamespaceLabels) {
    const classes: PeerClass[] = [];
    const byKey = new Map<string, number>();
    this.classOf = workloads.map((workload) => {
      const labels = Object.keys(workload.labels).sort().map((k) => [k, workload.labels[k]]);
      const key = JSON.stringify([workload.namespace, labels, workload.ports]);
      let index = byKey.get(key);
      if (index === undefined) {
        index = classes.length;
        byKey.set(key, index);
        classes.push({ index, namespace: workload.namespace, labels: workload.labels, ports: workload.ports });
        this.indexClass(classes[index]);
      }
      return index;
    });
    this.classes = classes;
  }

  /** The classes that a peer of a rule of a policy in `policyNamespace` selects, in index order. */
  public selectedBy(peer: PodPeer, policyNamespace: string): number[] {
    const namespaces = peer.namespaceSelector === undefined ? [policyNamespace] : this.namespacesSelectedBy(peer.namespaceSelector);
    const selected: number[] = [];
    for (const namespace of namespaces) {
      const candidates = this.candidates(namespace, peer.podSelector);
      for (const index of candidates) {
        if (peer.podSelector === undefined || selects(peer.podSelector, this.classes[index].labels)) selected.push(index);
      }
    }
    return namespaces.length > 1 ? selected.sort((a, b) => a - b) : selected;
  }

  /**
   * The connections that named ports stand for on a destination of the class: each name resolved on its container
   * ports, with the protocol the rule gives; a name the pods do not have (with that protocol) admits nothing.
   */
  public resolve(index: number, named: readonly NamedPort[]): ConnectionSet {
    let resolved = ConnectionSet.NONE;
    for (const { name, protocol } of named) {
      const port = this.classes[index].ports.find((p) => p.name === name);
      if (port && port.protocol === protocol) resolved = resolved.union(ConnectionSet.ports(protocol, port.port));
    }
    return resolved;
  }

  private indexClass(peerClass: PeerClass): void {
    let index = this.byNamespace.get(peerClass.namespace);
    if (!index) this.byNamespace.set(peerClass.namespace, index = { all: [], byPair: new Map() });
    index.all.push(peerClass.index);
    for (const [key, value] of Object.entries(peerClass.labels)) {
      let values = index.byPair.get(key);
      if (!values) index.byPair.set(key, values = new Map());
      const list = values.get(value);
      if (list) list.push(peerClass.index);
      else values.set(value, [peerClass.index]);
    }
  }

  /** The namespaces with workloads whose labels the selector selects (computed once per distinct selector). */
  private namespacesSelectedBy(selector: any): string[] {
    const key = JSON.stringify(selector);
    let found = this.namespaceMatches.get(key);
    if (!found) {
      found = [...this.byNamespace.keys()].filter((namespace) => selects(selector, this.namespaces.of(namespace)));
      this.namespaceMatches.set(key, found);
    }
    return found;
  }

  /**
   * The classes of the namespace that the pod selector may select: those carrying the rarest of its required label
   * pairs (a matchLabels pair, or the values of an `In`), or every class of the namespace.
   */
  private candidates(namespace: string, selector: any): readonly number[] {
    const index = this.byNamespace.get(namespace);
    if (!index) return [];
    let best: readonly number[] = index.all;
    if (selector === undefined) return best;
    const matchLabels = selector.matchLabels ?? {};
    for (const key of Object.keys(matchLabels)) {
      const list = index.byPair.get(key)?.get(matchLabels[key]) ?? [];
      if (list.length < best.length) best = list;
    }
    for (const expression of selector.matchExpressions ?? []) {
      if (expression.operator !== 'In') continue;
      const lists = (expression.values as string[]).map((v) => index.byPair.get(expression.key)?.get(v) ?? []);
      const size = lists.reduce((n, l) => n + l.length, 0);
      if (size < best.length) best = [...new Set(lists.flat())].sort((a, b) => a - b);
    }
    return best;
  }
}
