import { ApiObject } from 'cdk8s';
import { ContainerResources, EnvValue, IApiResource, INetworkPolicyPeer, Namespaces, Pods } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ApiGrant } from './api-grant-options';
import { CanaryRouting } from './canary-routing';
import { CanaryRoutingPlan, Track, TRACK_LABEL } from './canary-routing-plan';
import { MetricsOptions } from './metrics-options';
import { SecureDeployment } from './secure-deployment';
import { checkVersion, versionIdentity } from './workload-version';
import { inputError, quote } from '../../core/errors';
import { recommendedLabels } from '../../core/labels';
import { validateDnsLabel } from '../../core/names';
import { checkInstance, checkInteger, checkOptionalString, PropKeys } from '../../core/prop-checks';
import { derivedName } from '../base/derived-name';
import { HardenedConstruct } from '../base/hardened-construct';
import { INamespaceRef } from '../base/namespace-ref';
import { IPriorityClass } from '../base/priority-class-ref';
import { HealthProbe } from '../pod/health-probe';

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
   * @default - cpu 100m/500m, memory 128Mi/256Mi, ephemeral-storage 64Mi/256Mi (request/limit)
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
   * @default - the construct id, or its path below the chart joined with `-` when nested (`orders-web`); see README "Object names"
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
   * The pod priority class of both versions (see SecureDeployment's `priorityClass`).
   * @default - the cluster's default priority
   */
  readonly priorityClass?: IPriorityClass;
  /**
   * The pod priority class of both versions, by name. Prefer `priorityClass`.
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
  /**
   * Metrics of both versions (see SecureDeployment's `metrics`): each version gets its monitor, selecting exactly its pods.
   * @default - no metrics
   */
  readonly metrics?: MetricsOptions;
}

const CANARY_PAIR_PROPS: PropKeys<CanaryPairProps> = {
  port: true,
  stable: true,
  canary: true,
  canaryWeight: true,
  routing: true,
  name: true,
  namespace: true,
  readiness: true,
  liveness: true,
  allowIngressFrom: true,
  user: true,
  priorityClass: true,
  priorityClassName: true,
  metrics: true,
};

const CANARY_VERSION: PropKeys<CanaryVersion> = { image: true, replicas: true, env: true, args: true, resources: true };

/** The replicas of each version when not given. */
const DEFAULT_REPLICAS: { readonly [track in Track]: number } = { stable: 3, canary: 1 };

/**
 * Two versions of an app behind one name, with a measured share of traffic on the canary: by replica
 * ratio on a plain cluster, by exact weight, header match or mirroring with Istio, or by weight, header and
 * mirror with the Gateway API. Both versions are SecureDeployments (hardened, RollingUpdate surge-only,
 * readiness-probed), labelled `app: <name>` and `version: stable|canary`. Promotion is a props change.
 */
export class CanaryPair extends HardenedConstruct {
  /** The stable version, unless promotion is complete (replica routing at weight 100). */
  public readonly stable?: SecureDeployment;
  /** The canary version, unless it takes no traffic (replica routing at weight 0). */
  public readonly canary?: SecureDeployment;
  /** The canary's share of traffic. */
  public readonly canaryWeight: number;
  /** The routing objects: the shared Service, DestinationRule, VirtualService or HTTPRoute. */
  public readonly routingObjects: ApiObject[] = [];

  public constructor(scope: Construct, id: string, props: CanaryPairProps) {
    super(scope, id, 'CanaryPair', props, Object.keys(CANARY_PAIR_PROPS));
    const { where, objectNamespace: namespace, chartPartOf: partOf } = this;
    const givenName = checkOptionalString(where, 'name', props.name);
    const name = validateDnsLabel(where, 'name', givenName ?? this.defaultName());
    const port = checkInteger(where, 'port', props.port, { min: 1, max: 65535, hint: 'use the port both versions listen on, from 1 to 65535' });
    const stable = checkVersion(where, 'stable', props.stable, DEFAULT_REPLICAS.stable, CANARY_VERSION);
    const canary = checkVersion(where, 'canary', props.canary, DEFAULT_REPLICAS.canary, CANARY_VERSION);
    this.canaryWeight = checkInteger(where, 'canaryWeight', props.canaryWeight ?? 0, {
      min: 0, max: 100, hint: 'use a whole percentage from 0 (no canary traffic) to 100 (fully promoted)',
    });
    const routing = props.routing === undefined
      ? CanaryRouting.replicas()
      : checkInstance<CanaryRouting>(where, 'routing', props.routing, '_plan()', 'a CanaryRouting (CanaryRouting.replicas(), .istio(...) or .gatewayApi(...))');
    const plan: CanaryRoutingPlan = routing._plan(where);
    if (JSON.stringify(versionIdentity(stable)) === JSON.stringify(versionIdentity(canary))) {
      throw inputError(where, `stable and canary are identical (image ${quote(stable.image)}, same configuration)`, 'give the canary the new image or configuration under test');
    }
    const replicas = { stable: stable.replicas ?? DEFAULT_REPLICAS.stable, canary: canary.replicas ?? DEFAULT_REPLICAS.canary };
    plan.checkReplicas(where, replicas.stable, replicas.canary, this.canaryWeight);

    const ingress = props.allowIngressFrom ?? (plan.gatewayNamespace && plan.gatewayNamespace !== namespace
      ? [Pods.all(this, 'SameNamespace'), Namespaces.select(this, 'GatewayNamespace', { names: [plan.gatewayNamespace] })]
      : undefined);
    const version = (track: Track, options: CanaryVersion) => new SecureDeployment(this, track, {
      // Derived names stay distinct and valid whatever the length of the name (a hash keeps shortened ones apart).
      name: derivedName(where, name, track),
      appName: name,
      namespace: props.namespace,
      image: options.image,
      port,
      replicas: replicas[track],
      env: options.env,
      args: options.args,
      resources: options.resources,
      readiness: props.readiness,
      liveness: props.liveness,
      user: props.user,
      priorityClass: props.priorityClass,
      priorityClassName: props.priorityClassName,
      metrics: props.metrics,
      allowIngressFrom: ingress,
      labels: { app: name, [TRACK_LABEL]: track },
      exposeService: plan.servicePerVersion,
    });
    if (plan.deploys('stable', this.canaryWeight)) this.stable = version('stable', stable);
    if (plan.deploys('canary', this.canaryWeight)) this.canary = version('canary', canary);

    const labels = recommendedLabels(where, { name, instance: name, component: 'canary-routing', partOf });
    this.routingObjects.push(...plan.render({
      scope: this, where, name, namespace, port, canaryWeight: this.canaryWeight, labels, stable: this.stable, canary: this.canary,
    }));
  }

  /** Lets both versions call the Kubernetes API alike (see SecureDeployment's `allow`). */
  public allow(grant: ApiGrant): void {
    for (const version of [this.stable, this.canary]) version?.allow(grant);
  }

  /** Lets both versions read (get, list, watch) the resources in their namespace (see SecureDeployment's `allow`). */
  public allowRead(...resources: IApiResource[]): void {
    this.allow({ verbs: ['get', 'list', 'watch'], resources });
  }
}
