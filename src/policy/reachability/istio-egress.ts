// Istio's outbound traffic policy, for the connection queries (connection-query.ts): what a sidecar lets out of a pod.
//
// What is modelled: the Sidecar (networking.istio.io) that applies to a pod — the one of its namespace whose
// `workloadSelector.labels` match the pod, else the one of its namespace without a workloadSelector, else the one without
// a workloadSelector in the root namespace `istio-system` — and, when its `outboundTrafficPolicy.mode` is REGISTRY_ONLY,
// which destinations its proxy knows: a host is in the registry when a ServiceEntry exported to the pod's namespace
// (`exportTo` absent, `*`, `.` in its own namespace, or the namespace's name) lists it (exactly, or by a `*.` wildcard)
// and the Sidecar's `egress[].hosts` import it (`namespace/host`, `.` its own namespace, `*` any, `*.suffix` wildcards;
// no egress listed imports everything); an address is when such a ServiceEntry lists it in `addresses` or
// `endpoints[].address`, or the EndpointSlice (or Endpoints) of a Kubernetes Service the Sidecar imports holds it; a pod
// is when a Service the Sidecar imports (`<name>.<namespace>.svc.cluster.local`) selects it. Ports: a ServiceEntry's or
// Service's ports. Only TCP is judged: the sidecar captures outbound TCP; UDP (DNS) and SCTP leave the pod as they are.
// Not modelled: whether the pod has a sidecar at all (injection is configured outside the manifests: a namespace label, a
// revision, the mesh config) — a pod under a REGISTRY_ONLY Sidecar is taken to have one; ambient mode (ztunnel and waypoint
// proxies, no sidecars); AuthorizationPolicies and every L7 rule (VirtualService routes, retries, TLS origination); the
// mesh-wide outboundTrafficPolicy of the MeshConfig (ALLOW_ANY unless a Sidecar says otherwise); DNS proxying; egress
// gateways; `traffic.sidecar.istio.io/excludeOutboundIPRanges`/`Ports` annotations (traffic they exclude bypasses the proxy).
import { AddressInterval, ipBlockIntervals } from './address-ranges';
import { ConnectionSet } from './connection-set';
import { isPlainObject } from './label-selector';
import { namespaceOf, Workload } from './workloads';
import { parseCidrRange } from '../../k8s/cidr';
import { selects } from '../../k8s/pod-view';

/** The root namespace, whose Sidecar without workloadSelector applies mesh-wide. */
const ROOT_NAMESPACE = 'istio-system';

interface Sidecar {
  readonly name: string;
  readonly namespace: string;
  readonly selector?: { readonly [key: string]: string };
  readonly registryOnly: boolean;
  /** `namespace/host` patterns; undefined imports everything. */
  readonly hosts?: readonly string[];
}

interface ServiceEntry {
  readonly name: string;
  readonly namespace: string;
  readonly exportTo?: readonly string[];
  readonly hosts: readonly string[];
  readonly addresses: ReadonlyArray<readonly AddressInterval[]>;
  readonly ports: ConnectionSet;
}

interface KubernetesService {
  readonly name: string;
  readonly namespace: string;
  readonly selector?: { readonly [key: string]: string };
  readonly addresses: ReadonlyArray<readonly AddressInterval[]>;
  readonly ports: ConnectionSet;
}

/** A Service taken to exist besides those of the manifests. */
export interface ImplicitService {
  readonly name: string;
  readonly namespace: string;
  readonly selector: { readonly [key: string]: string };
  readonly ports: ConnectionSet;
}

/** What the sidecar of a source lets out towards a destination. */
export interface IstioVerdict {
  /** The connections it lets out (every non-TCP connection, and the TCP ports of the registry entry that matches). */
  readonly allowed: ConnectionSet;
  /** Why: `Sidecar ns/name (REGISTRY_ONLY): ServiceEntry ns/name lists api.example.com`. */
  readonly reason: string;
}

/** A destination as the sidecar sees it. */
export interface IstioDestination {
  readonly workload?: Workload;
  readonly address?: AddressInterval;
  readonly host?: string;
}

const NON_TCP = ConnectionSet.everyPortOf('UDP').union(ConnectionSet.everyPortOf('SCTP'));

/** The Sidecars, ServiceEntries and Services of a set of manifests. */
export class IstioEgress {
  private readonly sidecars: Sidecar[] = [];
  private readonly entries: ServiceEntry[] = [];
  private readonly services: KubernetesService[] = [];

  /**
   * @param manifests the manifests
   * @param implicitServices Services taken to exist besides those of the manifests (kube-dns)
   */
  public constructor(manifests: readonly any[], implicitServices: readonly ImplicitService[] = []) {
    const slices = new Map<string, AddressInterval[][]>();
    const addSlice = (namespace: string, service: unknown, addresses: unknown[]) => {
      if (typeof service !== 'string') return;
      const key = `${namespace}/${service}`;
      const list = slices.get(key) ?? [];
      for (const a of addresses) {
        const range = typeof a === 'string' ? parseCidrRange(a.includes('/') ? a : `${a}/${a.includes(':') ? 128 : 32}`) : undefined;
        if (range) list.push(ipBlockIntervals(range, []));
      }
      slices.set(key, list);
    };
    for (const m of manifests) {
      if (!isPlainObject(m)) continue;
      const namespace = namespaceOf(m);
      const group = String(m.apiVersion ?? '');
      if (m.kind === 'EndpointSlice' && group.startsWith('discovery.k8s.io/')) {
        addSlice(namespace, m.metadata?.labels?.['kubernetes.io/service-name'], (m.endpoints ?? []).flatMap((e: any) => e?.addresses ?? []));
      } else if (m.kind === 'Endpoints' && group === 'v1') {
        addSlice(namespace, m.metadata?.name, (m.subsets ?? []).flatMap((s: any) => (s?.addresses ?? []).map((a: any) => a?.ip)));
      }
    }
    for (const m of manifests) {
      if (!isPlainObject(m)) continue;
      const namespace = namespaceOf(m);
      const name = String(m.metadata?.name);
      const spec = isPlainObject(m.spec) ? m.spec : {};
      if (m.kind === 'Sidecar' && String(m.apiVersion).startsWith('networking.istio.io/')) {
        const egress = Array.isArray(spec.egress) ? spec.egress : undefined;
        this.sidecars.push({
          name: `Sidecar ${namespace}/${name}`,
          namespace,
          ...(isPlainObject(spec.workloadSelector?.labels) ? { selector: spec.workloadSelector.labels } : {}),
          registryOnly: spec.outboundTrafficPolicy?.mode === 'REGISTRY_ONLY',
          ...(egress ? { hosts: egress.flatMap((e: any) => (Array.isArray(e?.hosts) ? e.hosts.filter((h: unknown) => typeof h === 'string') : [])) } : {}),
        });
      } else if (m.kind === 'ServiceEntry' && String(m.apiVersion).startsWith('networking.istio.io/')) {
        const addresses = [
          ...(Array.isArray(spec.addresses) ? spec.addresses : []),
          ...(Array.isArray(spec.endpoints) ? spec.endpoints.map((e: any) => e?.address) : []),
        ];
        this.entries.push({
          name: `ServiceEntry ${namespace}/${name}`,
          namespace,
          ...(Array.isArray(spec.exportTo) ? { exportTo: spec.exportTo } : {}),
          hosts: (Array.isArray(spec.hosts) ? spec.hosts : []).map((h: unknown) => String(h).toLowerCase()),
          addresses: addresses.flatMap((a) => {
            const range = typeof a === 'string' ? parseCidrRange(a.includes('/') ? a : `${a}/${a.includes(':') ? 128 : 32}`) : undefined;
            return range ? [ipBlockIntervals(range, [])] : [];
          }),
          ports: tcpPorts((Array.isArray(spec.ports) ? spec.ports : []).map((p: any) => p?.number)),
        });
      } else if (m.kind === 'Service' && m.apiVersion === 'v1') {
        const selector = isPlainObject(spec.selector) && Object.keys(spec.selector).length > 0 ? spec.selector : undefined;
        this.services.push({
          name,
          namespace,
          ...(selector ? { selector } : {}),
          addresses: slices.get(`${namespace}/${name}`) ?? [],
          ports: tcpPorts((Array.isArray(spec.ports) ? spec.ports : []).flatMap((p: any) => [p?.port, p?.targetPort])),
        });
      }
    }
    for (const s of implicitServices) {
      if (!this.services.some((k) => k.namespace === s.namespace && k.name === s.name)) this.services.push({ ...s, addresses: [] });
    }
  }

  /** The Sidecar that applies to a pod, if any. */
  public sidecarOf(source: Workload): Sidecar | undefined {
    const selecting = this.sidecars.find((s) => s.namespace === source.namespace && s.selector
      && selects({ matchLabels: s.selector }, source.labels as any));
    return selecting
      ?? this.sidecars.find((s) => s.namespace === source.namespace && !s.selector)
      ?? this.sidecars.find((s) => s.namespace === ROOT_NAMESPACE && !s.selector);
  }

  /** What the sidecar of the source lets out towards the destination; undefined when no REGISTRY_ONLY Sidecar applies. */
  public judge(source: Workload, destination: IstioDestination): IstioVerdict | undefined {
    const sidecar = this.sidecarOf(source);
    if (!sidecar?.registryOnly) return undefined;
    const head = `${sidecar.name} (REGISTRY_ONLY)`;
    const imports = (namespace: string, host: string) => sidecar.hosts === undefined || sidecar.hosts.some((pattern) => {
      const [ns, hostPattern] = pattern.includes('/') ? pattern.split('/', 2) : ['*', pattern];
      const nsOk = ns === '*' || (ns === '.' ? namespace === sidecar.namespace : ns === namespace);
      return nsOk && hostMatches(hostPattern.toLowerCase(), host);
    });
    const exported = (entry: ServiceEntry) => entry.exportTo === undefined
      || entry.exportTo.some((e) => e === '*' || e === source.namespace || (e === '.' && entry.namespace === source.namespace));
    const found = (ports: ConnectionSet, what: string): IstioVerdict => ({ allowed: NON_TCP.union(ports), reason: `${head}: ${what}` });
    const svcName = (s: KubernetesService) => `${s.name}.${s.namespace}.svc.cluster.local`;
    if (destination.host !== undefined) {
      const host = destination.host.toLowerCase();
      const entry = this.entries.find((e) => exported(e) && e.hosts.some((h) => hostMatches(h, host) && imports(e.namespace, h)));
      if (entry) return found(entry.ports, `${entry.name} lists ${host}`);
    } else if (destination.address) {
      const a = destination.address;
      const holds = (blocks: ReadonlyArray<readonly AddressInterval[]>) =>
        blocks.some((b) => b.some((i) => i.version === a.version && i.first <= a.first && a.last <= i.last));
      const entry = this.entries.find((e) => exported(e) && holds(e.addresses) && e.hosts.some((h) => imports(e.namespace, h)));
      if (entry) return found(entry.ports, `${entry.name} lists the address`);
      const service = this.services.find((s) => holds(s.addresses) && imports(s.namespace, svcName(s)));
      if (service) return found(service.ports, `the endpoints of Service ${service.namespace}/${service.name} hold the address`);
    } else if (destination.workload) {
      const w = destination.workload;
      const service = this.services.find((s) => s.namespace === w.namespace && s.selector
        && selects({ matchLabels: s.selector }, w.labels as any) && imports(s.namespace, svcName(s)));
      if (service) return found(ConnectionSet.everyPortOf('TCP'), `it imports Service ${service.namespace}/${service.name}`);
    }
    const imported = (sidecar.hosts ?? ['*/*']).join(', ');
    return { allowed: NON_TCP, reason: `${head}: no ServiceEntry or Service it imports (${imported}) holds the destination, so TCP to it is refused` };
  }
}

/** Whether an Istio host pattern (`*`, `*.example.com`, `api.example.com`) matches a host. */
function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

function tcpPorts(numbers: unknown[]): ConnectionSet {
  let ports = ConnectionSet.NONE;
  for (const n of numbers) if (Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535) ports = ports.union(ConnectionSet.ports('TCP', n as number));
  return ports.isEmpty ? ConnectionSet.everyPortOf('TCP') : ports;
}
