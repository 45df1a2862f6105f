import { ApiObject, Chart } from 'cdk8s';
import { ContainerResources, EnvValue, INetworkPolicyPeer, Namespaces, Pods } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CanaryRouting, CanaryRoutingKind, HeaderMatch } from './canary-routing';
import { HealthProbe } from './health-probe';
import { SecureDeployment } from './secure-deployment';
import { inputError, quote, recommendedLabels, suggestDnsLabel, validateDnsLabel, validateDnsSubdomain, validatePort } from '../baseline';
import * as gateway from '../imports/gateway.networking.k8s.io';
import * as istio from '../imports/networking.istio.io';
import { kube } from '../kube/objects';
import { INamespaceRef } from '../network/namespace-ref';

/** One version of a canary pair. */
export interface CanaryVersion {
  /** The image of this version. */
  readonly image: string;
  /**
   * Replicas of this version (with replica routing they set the traffic share).
   * @default 3 for stable, 1 for canary
   */
  readonly replicas?: number;
  /**
   * Environment variables of this version.
   * @default - none
   */
  readonly env?: { [name: string]: EnvValue };
  /**
   * Arguments of this version.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Requests and limits of this version.
   * @default - the baseline defaults
   */
  readonly resources?: ContainerResources;
}

/** Props of {@link CanaryPair}. */
export interface CanaryPairProps {
  /** The port both versions listen on. */
  readonly port: number;
  /** The version that takes most traffic. */
  readonly stable: CanaryVersion;
  /** The version under test. */
  readonly canary: CanaryVersion;
  /**
   * The canary's share of traffic, 0–100. Promotion is a change of this number (0 → 25 → 100).
   * @default 0
   */
  readonly canaryWeight?: number;
  /**
   * How traffic is split.
   * @default CanaryRouting.replicas()
   */
  readonly routing?: CanaryRouting;
  /**
   * The app name: the Service (and Istio host) clients call; versions are `<name>-stable` and `<name>-canary`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: INamespaceRef;
  /**
   * Readiness check of both versions.
   * @default - TCP on the port
   */
  readonly readiness?: HealthProbe;
  /**
   * Liveness check of both versions.
   * @default - TCP on the port
   */
  readonly liveness?: HealthProbe;
  /**
   * Who may connect to the pods.
   * @default - the namespace's pods (and, with Gateway API routing, the Gateway's namespace)
   */
  readonly allowIngressFrom?: INetworkPolicyPeer[];
  /**
   * The uid both versions run as.
   * @default 10001
   */
  readonly user?: number;
  /**
   * The pod priority class of both versions.
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
}

const TRACK_LABEL = 'version';

/**
 * Two versions of an app behind one name, with a measured share of traffic on the canary: by replica
 * ratio on a plain cluster, by exact weight, header match or mirroring with Istio, or by weight, header and
 * mirror with the Gateway API. Both versions are SecureDeployments (hardened, RollingUpdate surge-only,
 * readiness-probed), labelled `app: <name>` and `version: stable|canary`. Promotion is a props change.
 */
export class CanaryPair extends Construct {
  /** The stable version, unless promotion is complete (replica routing at weight 100). */
  public readonly stable?: SecureDeployment;
  /** The canary version, unless it takes no traffic (replica routing at weight 0). */
  public readonly canary?: SecureDeployment;
  /** The canary's share of traffic. */
  public readonly canaryWeight: number;
  /** The routing objects: the shared Service, DestinationRule, VirtualService or HTTPRoute. */
  public readonly routingObjects: ApiObject[] = [];

  public constructor(scope: Construct, id: string, props: CanaryPairProps) {
    super(scope, id);
    const where = `CanaryPair ${this.node.path}`;
    const name = validateDnsLabel(where, 'name', props.name ?? id);
    const port = validatePort(where, 'port', props.port);
    const routing = props.routing ?? CanaryRouting.replicas();
    this.canaryWeight = props.canaryWeight ?? 0;
    if (!Number.isInteger(this.canaryWeight) || this.canaryWeight < 0 || this.canaryWeight > 100) {
      throw inputError(where, `canaryWeight ${quote(props.canaryWeight)} is outside 0–100`, 'use a whole percentage from 0 (no canary traffic) to 100 (fully promoted)');
    }
    if (JSON.stringify(versionIdentity(props.stable)) === JSON.stringify(versionIdentity(props.canary))) {
      throw inputError(where, `stable and canary are identical (image ${quote(props.stable.image)}, same configuration)`, 'give the canary the new image or configuration under test');
    }
    const stableReplicas = props.stable.replicas ?? 3;
    const canaryReplicas = props.canary.replicas ?? 1;
    for (const header of routing.matchHeaders) validateHeaderMatch(where, header);
    if (routing.kind === CanaryRoutingKind.REPLICAS) {
      if (routing.mirror || routing.matchHeaders.length) {
        throw inputError(where, 'replica routing cannot mirror or match headers', 'use CanaryRouting.istio(...) or CanaryRouting.gatewayApi(...)');
      }
      // At 0 or 100 only one version is deployed, whatever its replicas.
      if (this.canaryWeight > 0 && this.canaryWeight < 100) checkReplicaRatio(where, stableReplicas, canaryReplicas, this.canaryWeight);
    }
    const namespaceName = props.namespace?.namespaceName ?? Chart.of(this).namespace;
    const gatewayNamespace = routing.gateway?.namespace;
    const ingress = props.allowIngressFrom ?? (gatewayNamespace && gatewayNamespace !== namespaceName
      ? [Pods.all(this, 'SameNamespace'), Namespaces.select(this, 'GatewayNamespace', { names: [validateDnsLabel(where, 'gateway namespace', gatewayNamespace)] })]
      : undefined);

    const version = (track: 'stable' | 'canary', options: CanaryVersion, replicas: number) => new SecureDeployment(this, track, {
      name: `${name}-${track}`.slice(0, 63),
      appName: name,
      namespace: props.namespace,
      image: options.image,
      port,
      replicas,
      env: options.env,
      args: options.args,
      resources: options.resources,
      readiness: props.readiness,
      liveness: props.liveness,
      user: props.user,
      priorityClassName: props.priorityClassName,
      allowIngressFrom: ingress,
      labels: { app: name, [TRACK_LABEL]: track },
      // Replica and Istio routing share one Service; the Gateway API routes to one Service per version.
      exposeService: routing.kind === CanaryRoutingKind.GATEWAY_API,
    });
    const replicaRouting = routing.kind === CanaryRoutingKind.REPLICAS;
    if (!(replicaRouting && this.canaryWeight === 100)) this.stable = version('stable', props.stable, stableReplicas);
    if (!(replicaRouting && this.canaryWeight === 0)) this.canary = version('canary', props.canary, canaryReplicas);

    const labels = recommendedLabels(where, { name, instance: name, component: 'canary-routing', partOf: suggestDnsLabel(Chart.of(this).node.id) });
    const metadata = { name, namespace: namespaceName, labels };
    if (routing.kind !== CanaryRoutingKind.GATEWAY_API) {
      this.routingObjects.push(kube.service(this, 'Service', {
        metadata,
        spec: {
          type: 'ClusterIP',
          selector: { 'app.kubernetes.io/name': name },
          ports: [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }],
        },
      }));
    }
    if (routing.kind === CanaryRoutingKind.ISTIO) this.istioRouting(name, namespaceName, metadata, routing);
    if (routing.kind === CanaryRoutingKind.GATEWAY_API) this.gatewayRouting(where, metadata, port, routing);
  }

  private istioRouting(name: string, namespace: string | undefined, metadata: any, routing: CanaryRouting): void {
    const host = namespace ? `${name}.${namespace}.svc.cluster.local` : name;
    this.routingObjects.push(new istio.DestinationRule(this, 'DestinationRule', {
      metadata,
      spec: {
        host,
        subsets: ['stable', 'canary'].map((track) => ({ name: track, labels: { [TRACK_LABEL]: track } })),
      },
    }));
    const weighted = [
      { destination: { host, subset: 'stable' }, weight: 100 - this.canaryWeight },
      { destination: { host, subset: 'canary' }, weight: this.canaryWeight },
    ].filter((route) => route.weight > 0);
    const mirror = routing.mirror ? { mirror: { host, subset: 'canary' }, mirrorPercentage: { value: 100 } } : {};
    const headers = Object.fromEntries(routing.matchHeaders.map((h) => [h.name.toLowerCase(), { exact: h.exact, prefix: h.prefix, regex: h.regex }]));
    const headerRoutes = routing.matchHeaders.length ? [{
      name: 'canary-by-header',
      match: [{ headers }],
      route: [{ destination: { host, subset: 'canary' } }],
    }] : [];
    this.routingObjects.push(new istio.VirtualService(this, 'VirtualService', {
      metadata,
      spec: { hosts: [host], http: [...headerRoutes, { name: 'weighted', route: weighted, ...mirror }] },
    }));
  }

  private gatewayRouting(where: string, metadata: any, port: number, routing: CanaryRouting): void {
    const ref = routing.gateway!;
    const backend = (workload: SecureDeployment | undefined, weight: number) => ({ name: workload!.name, port, weight });
    const headerRules = routing.matchHeaders.length ? [{
      matches: [{ headers: routing.matchHeaders.map(gatewayHeaderMatch) }],
      backendRefs: [backend(this.canary, 1)],
    }] : [];
    const mirror = routing.mirror ? [{
      type: gateway.HttpRouteSpecRulesFiltersType.REQUEST_MIRROR,
      requestMirror: { backendRef: { name: this.canary!.name, port } },
    }] : undefined;
    this.routingObjects.push(new gateway.HttpRoute(this, 'HttpRoute', {
      metadata,
      spec: {
        parentRefs: [{
          name: validateDnsSubdomain(where, 'gateway name', ref.name),
          namespace: ref.namespace,
          sectionName: ref.sectionName,
        }],
        hostnames: routing._hostnames?.map((h) => validateDnsSubdomain(where, 'route hostname', h)),
        rules: [
          ...headerRules,
          { backendRefs: [backend(this.stable, 100 - this.canaryWeight), backend(this.canary, this.canaryWeight)], filters: mirror },
        ],
      },
    }));
  }
}

/** What makes two versions different: if nothing does, the pair is a mistake. */
function versionIdentity(version: CanaryVersion): unknown {
  const env = Object.entries(version.env ?? {}).map(([k, v]) => [k, v.value, v.valueFrom]);
  const resources = version.resources && JSON.stringify(version.resources, (_, v) => (v && v.amount !== undefined ? v.amount : v));
  return [version.image, env, version.args, resources];
}

function checkReplicaRatio(where: string, stable: number, canary: number, weight: number): void {
  if (canary * 100 === weight * (stable + canary)) return;
  const divisor = gcd(weight, 100);
  const unitCanary = weight / divisor;
  const unitTotal = 100 / divisor;
  const options = [1, 2, 3].map((k) => `stable ${k * (unitTotal - unitCanary)} / canary ${k * unitCanary}`).filter((o) => !o.includes(' 0'));
  const actual = (canary * 100) / (stable + canary);
  const suggestion = `use replica counts such as ${options.join(', ')}`;
  throw inputError(
    where,
    `replicas stable ${stable} / canary ${canary} give the canary ${Number.isInteger(actual) ? actual : actual.toFixed(1)}% of the traffic, not canaryWeight ${weight}%`,
    `${suggestion}${Number.isInteger(actual) ? `, or set canaryWeight to ${actual}` : ''}; or route by exact weight with CanaryRouting.istio() or CanaryRouting.gatewayApi()`,
  );
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function validateHeaderMatch(where: string, header: HeaderMatch): void {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(header.name)) {
    throw inputError(where, `header name ${quote(header.name)} is not a valid HTTP header name`, 'use a token such as "user-agent"');
  }
  const set = [header.exact, header.prefix, header.regex].filter((v) => v !== undefined);
  if (set.length !== 1) {
    throw inputError(where, `header match ${quote(header.name)} sets ${set.length} of exact, prefix, regex`, 'set exactly one of them');
  }
  if (header.regex !== undefined) {
    // Istio and the Gateway API use RE2: no look-around, no back-references.
    if (/\(\?<?[=!]|\\[1-9]/.test(header.regex)) {
      throw inputError(where, `header regex ${quote(header.regex)} uses look-around or back-references, which RE2 does not support`, 'rewrite it without (?=, (?!, (?<= or \\1');
    }
    try {
      new RegExp(header.regex);
    } catch (error: any) {
      throw inputError(where, `header regex ${quote(header.regex)} does not compile (${error.message})`, 'fix the expression, e.g. ".*Safari.*"');
    }
  }
}

function gatewayHeaderMatch(header: HeaderMatch): gateway.HttpRouteSpecRulesMatchesHeaders {
  if (header.exact !== undefined) return { type: gateway.HttpRouteSpecRulesMatchesHeadersType.EXACT, name: header.name, value: header.exact };
  const regex = header.regex ?? `^${header.prefix!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*`;
  return { type: gateway.HttpRouteSpecRulesMatchesHeadersType.REGULAR_EXPRESSION, name: header.name, value: regex };
}
