import { list, record } from './cluster-facts';
import { addressPeer, workloadPeerOf } from './connection-peers';
import { parseIp } from '../../../k8s/cidr';
import { PolicyObject } from '../../../k8s/policy-object';
import { jdbcEndpoints } from '../../../parsers/jdbc-hosts';
import { ConnectionQuery, QueryPeer } from '../../reachability/connection-query';
import { ConnectionSet } from '../../reachability/connection-set';
import { namespaceOf } from '../../reachability/workloads';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { EvaluationFacts } from '../../rule-api/evaluation-facts';
import { Severity } from '../../rule-api/severity';

/** Where a JDBC host leads: the peers a connection to it lands on, each with its port; or why it leads nowhere. */
type Destination = { readonly peer: QueryPeer; readonly port: number } | { readonly problem: string };

/** The Services of the set and the addresses of their EndpointSlices, by `namespace/name`. */
class Services {
  private readonly services = new Map<string, any>();
  private readonly slices = new Map<string, any[]>();

  public constructor(objects: PolicyObject[]) {
    for (const o of objects) {
      const key = `${namespaceOf(o.manifest)}/`;
      if (o.kind === 'Service' && o.apiVersion === 'v1') this.services.set(key + o.name, o.manifest);
      const owner = o.manifest.metadata?.labels?.['kubernetes.io/service-name'];
      if (o.kind === 'EndpointSlice' && o.apiVersion.startsWith('discovery.k8s.io/') && typeof owner === 'string') {
        this.slices.set(key + owner, [...(this.slices.get(key + owner) ?? []), o.manifest]);
      }
    }
  }

  /**
   * The Service a host names, as cluster DNS resolves it from a pod of `namespace`: `name` (that namespace), `name.ns`,
   * `name.ns.svc` and `name.ns.svc.<cluster domain>`; undefined when the set has no such Service.
   */
  public named(host: string, namespace: string): { readonly key: string; readonly manifest: any } | undefined {
    const parts = host.split('.');
    const key = parts.length === 1 ? `${namespace}/${parts[0]}`
      : parts.length === 2 || parts[2] === 'svc' ? `${parts[1]}/${parts[0]}` : undefined;
    const manifest = key === undefined ? undefined : this.services.get(key);
    return key !== undefined && manifest ? { key, manifest } : undefined;
  }

  public slicesOf(key: string): any[] {
    return this.slices.get(key) ?? [];
  }
}

/**
 * A Flyway migration can reach its database: every host of the JDBC URL in a container's `FLYWAY_URL` (FlywayMigrationJob's
 * Job, labelled `app.kubernetes.io/component: migration`, and any other workload that runs Flyway from that variable) is
 * reached on its port through every layer the connection queries of `Reachability` model (the Job's egress, the
 * database's ingress, Cilium rules, an Istio REGISTRY_ONLY Sidecar). Each host is followed as the connection goes:
 *
 * - an IP address: to that address and port;
 * - a Service of the set (`name` in the Job's namespace, `name.ns`, `name.ns.svc…`): the Service must have the URL's port
 *   (TCP); then to every workload its selector selects, on the port's targetPort (a number, a container port name of that
 *   workload, or the port itself), as kube-proxy may send the connection to any of them; a Service without selector to
 *   the addresses of its EndpointSlices; an ExternalName Service to its host;
 * - any other name (a database outside the set): not applicable, as is a URL the rule cannot read and a value from a
 *   Secret or ConfigMap.
 *
 * An error: the migration fails at every rollout, and a release waiting on it (a Helm hook, an Argo CD PreSync hook)
 * never proceeds.
 */
export class MigrationReachesDatabaseRule extends CrossObjectCheck {
  public constructor() {
    super({
      id: 'K8S-MIGRATION-REACHES-DATABASE',
      title: 'Flyway migrations (FLYWAY_URL) can reach every host of their JDBC URL through every network policy',
      rationale: 'A migration Job whose egress, or whose database\'s ingress, leaves out the database port fails at every rollout '
        + 'with a connection timeout, and a release that waits for it never proceeds.',
      severity: Severity.ERROR,
      standard: 'Kubernetes NetworkPolicy egress and ingress; Flyway configuration (FLYWAY_URL)',
      fix: 'Allow egress from the migration\'s pods to the database pods (or address) on the port of FLYWAY_URL, and ingress to the database '
        + 'pods from the migration\'s pods on the Service\'s targetPort.',
      constructFix: 'FlywayMigrationJob allows egress to the hosts of its jdbcUrl; admit it at the database with database.allowFrom(job) '
        + '(PostgresDatabase, SecureStatefulSet).',
      admission: AdmissionCheck.notExpressible('judges the Job against the database\'s Service, pods and every network policy of the set (cross-object)'),
    });
  }

  protected judgeSet(objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void {
    let services: Services | undefined;
    for (const { object, pod } of facts.workloads) {
      const urls: Array<{ readonly container: string; readonly url: string }> = [];
      for (const { container } of pod.containers) {
        for (const env of list(container?.env)) {
          if (env?.name === 'FLYWAY_URL' && typeof env.value === 'string') urls.push({ container: String(container.name), url: env.value });
        }
      }
      if (urls.length === 0) continue;
      const query = facts.connections;
      const source = workloadPeerOf(query, object);
      if (!source) continue;
      services ??= new Services(objects);
      const namespace = namespaceOf(object.manifest);
      const messages: string[] = [];
      let judged = false;
      for (const { container, url } of urls) {
        for (const endpoint of jdbcEndpoints(url) ?? []) {
          const destinations = destinationsOf(query, services, endpoint.host, endpoint.port, namespace);
          if (destinations === undefined) continue;
          judged = true;
          const at = `the database ${endpoint.host}:${endpoint.port} (FLYWAY_URL of container ${container})`;
          for (const destination of destinations) {
            if ('problem' in destination) {
              messages.push(`its migration cannot reach ${at}: ${destination.problem}`);
              continue;
            }
            const verdict = query.judge(source, destination.peer, ConnectionSet.ports('TCP', destination.port));
            if (verdict.allowed.isEmpty) messages.push(`its migration cannot reach ${at}: ${verdict.reason}`);
          }
        }
      }
      if (judged) results.judge(object, messages);
    }
  }
}

/** Where a connection to host:port from a pod of `namespace` lands; undefined when the set does not tell. */
function destinationsOf(query: ConnectionQuery, services: Services, host: string, port: number, namespace: string): Destination[] | undefined {
  if (parseIp(host)) {
    const peer = addressPeer(host);
    return peer ? [{ peer, port }] : undefined;
  }
  const service = services.named(host, namespace);
  if (!service) return undefined;
  const [serviceNamespace, serviceName] = service.key.split('/');
  const spec = record(service.manifest.spec) ?? {};
  if (spec.type === 'ExternalName') {
    const external = typeof spec.externalName === 'string' ? spec.externalName.toLowerCase().replace(/\.$/, '') : '';
    return external ? [{ peer: { name: `${external}[host]`, host: external }, port }] : undefined;
  }
  const servicePort = list(spec.ports).find((p) => p?.port === port && (p.protocol ?? 'TCP') === 'TCP');
  if (!servicePort) return [{ problem: `Service ${service.key} has no TCP port ${port}` }];
  const selector = record(spec.selector);
  if (selector && Object.keys(selector).length > 0) {
    const workloads = query.workloadsSelectedBy(serviceNamespace, selector);
    if (workloads.length === 0) return undefined; // K8S-SELECTOR-MATCHES reports a selector that matches nothing.
    return workloads.map((w): Destination => {
      const peer = ConnectionQuery.workloadPeer(w);
      const target = servicePort.targetPort ?? port;
      if (typeof target === 'number') return { peer, port: target };
      const named = w.ports.find((p) => p.name === target && p.protocol === 'TCP');
      return named ? { peer, port: named.port } : { problem: `the targetPort "${target}" of Service ${service.key} names no TCP container port of ${peer.name}` };
    });
  }
  // A Service without selector: the addresses of its EndpointSlices, on the slice port of the Service port's name.
  const destinations: Destination[] = [];
  for (const slice of services.slicesOf(`${serviceNamespace}/${serviceName}`)) {
    const slicePort = list(slice.ports).find((p) => (p?.name ?? '') === (servicePort.name ?? '') && (p?.protocol ?? 'TCP') === 'TCP');
    if (!Number.isInteger(slicePort?.port)) continue;
    for (const address of list(slice.endpoints).flatMap((e) => list(e?.addresses))) {
      const peer = typeof address === 'string' ? addressPeer(address) : undefined;
      if (peer) destinations.push({ peer, port: slicePort.port });
    }
  }
  return destinations.length > 0 ? destinations : undefined;
}
