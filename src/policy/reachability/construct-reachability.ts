// The reachability API for tests: `Reachability.of(app).canReach(web, database, { port: 5432 })`. It reads the objects of a
// construct tree as the policy engine does (each ApiObject's own toJson(); nothing is written to disk) and answers one pair
// at a time through every layer the manifests hold (connection-query.ts: NetworkPolicy, CiliumNetworkPolicy, Istio
// REGISTRY_ONLY Sidecars), with the policies that admit or deny. (Not the `Reachability` interface of reachability.ts: that
// is the all-pairs list behind `cdk8s-hardened reach`.)
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ConnectionQuery, QueryPeer } from './connection-query';
import { ConnectionSet, isProtocol } from './connection-set';
import { namespaceOf } from './workloads';
import { parseCidrRange, parseIp } from '../../k8s/cidr';

/** Which connections a query asks about. */
export interface ReachabilityOptions {
  /**
   * The destination port.
   * @default - any port: the verdict is allowed when at least one connection (any protocol and port) gets through
   */
  readonly port?: number;
  /**
   * The protocol: TCP, UDP or SCTP.
   * @default - TCP when a port is given, else any protocol
   */
  readonly protocol?: string;
}

/** The answer to a reachability query. */
export interface ReachabilityVerdict {
  /** Whether the connection gets through every layer (for several workloads on a side: whether one pair does). */
  readonly allowed: boolean;
  /**
   * Which policies admit or deny, e.g. `shop/web[Deployment] cannot reach cars/postgresql[StatefulSet] on TCP 5432: denied
   * by egress of shop/web[Deployment] (NetworkPolicy shop/default-deny-all, NetworkPolicy shop/web): no rule admits TCP 5432
   * to cars/postgresql[StatefulSet]`.
   */
  readonly reason: string;
}

/**
 * A peer that is not a construct of the app, for `Reachability` queries: an address, a named host outside the cluster,
 * or cluster DNS. (A construct, so that a query takes constructs of the app and these alike; it belongs to no app.)
 */
export class ReachabilityEndpoint extends Construct {
  /**
   * One IP address (IPv4 or IPv6), e.g. the cloud metadata service `169.254.169.254`.
   * @throws an Error when the address is malformed
   */
  public static address(address: string): ReachabilityEndpoint {
    const ip = typeof address === 'string' ? parseIp(address.trim()) : undefined;
    const range = ip ? parseCidrRange(`${address.trim()}/${ip.version === 4 ? 32 : 128}`) : undefined;
    if (!range) throw new Error(`ReachabilityEndpoint.address: ${JSON.stringify(address)} is not an IP address; pass e.g. "169.254.169.254" or "fd00:ec2::254"`);
    return new ReachabilityEndpoint({ name: address.trim(), address: { version: range.version, first: range.first, last: range.last } });
  }

  /**
   * A named host outside the cluster, e.g. `api.example.com`: reached when a NetworkPolicy admits every public address
   * (its addresses cannot be known) or a CiliumNetworkPolicy names it (toFQDNs), and, under an Istio REGISTRY_ONLY
   * Sidecar, when a ServiceEntry lists it.
   * @throws an Error when the name is not a DNS name
   */
  public static host(name: string): ReachabilityEndpoint {
    const host = typeof name === 'string' ? name.trim().toLowerCase().replace(/\.$/, '') : '';
    if (!/^[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?(\.[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?)*$/.test(host)) {
      throw new Error(`ReachabilityEndpoint.host: ${JSON.stringify(name)} is not a host name; pass e.g. "api.example.com"`);
    }
    return new ReachabilityEndpoint({ name: `${host}[host]`, host });
  }

  /**
   * Cluster DNS: the pods labelled `k8s-app: kube-dns` in kube-system, taken to exist (a Deployment with that label, UDP
   * and TCP 53, and its Service) when the app does not define them.
   */
  public static clusterDns(): ReachabilityEndpoint {
    return new ReachabilityEndpoint({ name: 'kube-dns', clusterDns: true });
  }

  /** @internal */
  public readonly _peer: { readonly name: string; readonly address?: QueryPeer['address']; readonly host?: string; readonly clusterDns?: boolean };

  private constructor(peer: ReachabilityEndpoint['_peer']) {
    super(undefined as any, '');
    this._peer = peer;
  }
}

const POD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

/**
 * Who can connect to whom in an app (or a chart), through NetworkPolicies, CiliumNetworkPolicies and Istio REGISTRY_ONLY
 * Sidecars, with the policy that admits or denies. Peers are constructs — SecureDeployment, SecureStatefulSet,
 * PostgresDatabase, FlywayMigrationJob, a CanaryPair's `stable` or `canary`, any construct holding workloads (each
 * Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod under it), an ExternalMongoService (its addresses, or its host
 * name), a DefaultDenyNamespace (every workload of the namespace) — or a `ReachabilityEndpoint` (an address, a host,
 * cluster DNS). When a side holds several workloads, a query is allowed when one pair is ("by any path").
 * Without a port, a query asks whether any connection gets through.
 */
export class Reachability {
  /** Reads the objects under an App or a Chart (each ApiObject's own toJson(); nothing is synthesized to disk). */
  public static of(scope: IConstruct): Reachability {
    return new Reachability(scope);
  }

  /** Objects left out, parts of objects not modelled (e.g. L7 rules), and assumptions (an implicit kube-dns), one a line. */
  public readonly notes: string[];
  private readonly query: ConnectionQuery;
  private readonly manifests = new Map<ApiObject, any>();

  private constructor(scope: IConstruct) {
    for (const construct of scope.node.findAll()) {
      if (construct instanceof ApiObject) this.manifests.set(construct, construct.toJson());
    }
    this.query = new ConnectionQuery([...this.manifests.values()]);
    this.notes = [...this.query.notes, ...(this.query.implicitDns ? ['kube-system/kube-dns is not in the manifests: taken to exist (k8s-app: kube-dns, UDP and TCP 53)'] : [])];
  }

  /** Whether `source` can connect to `destination` (on the port and protocol of the options), and why. */
  public canReach(source: IConstruct, destination: IConstruct, options: ReachabilityOptions = {}): ReachabilityVerdict {
    const wanted = connectionsOf(options);
    const sources = this.peersOf(source, 'source');
    const destinations = this.peersOf(destination, 'destination');
    const verdicts = sources.flatMap((s) => destinations.filter((d) => d !== s).map((d) => this.query.judge(s, d, wanted)));
    const through = verdicts.filter((v) => !v.allowed.isEmpty);
    const shown = through.length > 0 ? through : verdicts;
    if (shown.length === 0) return { allowed: false, reason: 'no pair to judge: both sides are the same workload' };
    return { allowed: through.length > 0, reason: shown.map((v) => v.reason).join('\n') };
  }

  /** The opposite verdict of canReach: allowed when no connection of the options gets from `source` to `destination`. */
  public cannotReach(source: IConstruct, destination: IConstruct, options: ReachabilityOptions = {}): ReachabilityVerdict {
    const verdict = this.canReach(source, destination, options);
    return { allowed: !verdict.allowed, reason: verdict.reason };
  }

  /**
   * Throws an Error with the reason unless `source` can reach `destination` (for tests: `expect(() => reach.assertCanReach(web,
   * db, { port: 5432 })).not.toThrow()`).
   */
  public assertCanReach(source: IConstruct, destination: IConstruct, options: ReachabilityOptions = {}): void {
    const verdict = this.canReach(source, destination, options);
    if (!verdict.allowed) throw new Error(`expected a connection, but ${verdict.reason}`);
  }

  /** Throws an Error with the reason when `source` can reach `destination`. */
  public assertCannotReach(source: IConstruct, destination: IConstruct, options: ReachabilityOptions = {}): void {
    const verdict = this.canReach(source, destination, options);
    if (verdict.allowed) throw new Error(`expected no connection, but ${verdict.reason}`);
  }

  /** The names of the workloads (`namespace/name[Kind]`) of a construct, as reasons name them (for listing who reaches what). */
  public workloadsOf(construct: IConstruct): string[] {
    return this.peersOf(construct, 'of').map((p) => p.name);
  }

  private peersOf(construct: IConstruct, side: string): QueryPeer[] {
    if (construct instanceof ReachabilityEndpoint) {
      const peer = construct._peer;
      return [peer.clusterDns ? ConnectionQuery.workloadPeer(this.query.clusterDns) : { name: peer.name, address: peer.address, host: peer.host }];
    }
    const objects = construct.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => this.manifests.get(o) ?? o.toJson());
    const find = (namespace: string, test: (w: { namespace: string; name: string; kind: string }) => boolean) =>
      this.query.workloads.filter((w) => w.namespace === namespace && test(w)).map(ConnectionQuery.workloadPeer);
    const workloads = objects.filter((m) => POD_KINDS.has(m.kind))
      .flatMap((m) => find(namespaceOf(m), (w) => w.kind === m.kind && w.name === m.metadata?.name));
    if (workloads.length > 0) return workloads;
    const external: QueryPeer[] = [];
    for (const m of objects) {
      if (m.kind === 'EndpointSlice') {
        for (const address of (m.endpoints ?? []).flatMap((e: any) => e?.addresses ?? [])) {
          external.push(ReachabilityEndpoint.address(String(address))._peer as QueryPeer);
        }
      } else if (m.kind === 'Service' && m.spec?.type === 'ExternalName' && typeof m.spec.externalName === 'string') {
        external.push(ReachabilityEndpoint.host(m.spec.externalName)._peer as QueryPeer);
      }
    }
    if (external.length > 0) return external;
    const namespaces = objects.filter((m) => m.kind === 'Namespace' && m.apiVersion === 'v1').map((m) => m.metadata?.name);
    const members = namespaces.flatMap((ns) => find(ns, () => true));
    if (namespaces.length > 0) return members;
    throw new Error(`Reachability: ${construct.node.path || construct.node.id || '(construct)'} (${side}) holds no workload, external service or namespace; `
      + 'pass a SecureDeployment, SecureStatefulSet, PostgresDatabase, FlywayMigrationJob, ExternalMongoService, DefaultDenyNamespace or a ReachabilityEndpoint');
  }
}

function connectionsOf(options: ReachabilityOptions): ConnectionSet {
  const { port, protocol } = options ?? {};
  if (protocol !== undefined && !isProtocol(protocol)) throw new Error(`Reachability: protocol ${JSON.stringify(protocol)} is not TCP, UDP or SCTP`);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new Error(`Reachability: port ${JSON.stringify(port)} is not a port from 1 to 65535`);
  if (port !== undefined) return ConnectionSet.ports(protocol ?? 'TCP', port);
  return protocol !== undefined ? ConnectionSet.everyPortOf(protocol) : ConnectionSet.ALL;
}
