import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { AnalysisGate } from './analysis-gate';
import { checkGateway, checkRouteHostnames } from './canary-routing-plan';
import { HARDENED_WORKLOAD_PROPS, HardenedWorkload, HardenedWorkloadProps } from './hardened-workload';
import { CheckedBlueGreen, CheckedCanary, checkStrategy, POD_TEMPLATE_HASH_ARG, POD_TEMPLATE_HASH_LABEL } from './rollout-plan';
import { RolloutStrategy } from './rollout-strategy';
import { inputError, quote } from '../../core/errors';
import { validateDnsLabel, validateDnsSubdomain } from '../../core/names';
import { checkInteger, PropKeys } from '../../core/prop-checks';
import { kube } from '../../k8s/objects';
import { derivedName } from '../base/derived-name';

/** Props of {@link SecureRollout}. */
export interface SecureRolloutProps extends HardenedWorkloadProps {
  /** How Argo Rollouts replaces the running version: `RolloutStrategy.canary(...)` or `RolloutStrategy.blueGreen(...)`. */
  readonly strategy: RolloutStrategy;
  /**
   * The number of pods. With replica-based canary routing every weight must be a whole number of pods.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * The port the Services expose.
   * @default - the container port
   */
  readonly servicePort?: number;
  /**
   * Old ReplicaSets kept for rollback.
   * @default 5
   */
  readonly revisionHistoryLimit?: number;
}

const SECURE_ROLLOUT_PROPS: PropKeys<SecureRolloutProps> = {
  ...HARDENED_WORKLOAD_PROPS,
  strategy: true,
  replicas: true,
  servicePort: true,
  revisionHistoryLimit: true,
};

const DEFAULT_REPLICAS = 2;
/** The one route of the VirtualService, which Argo Rollouts weights. */
const ISTIO_ROUTE = 'primary';
/** The Gateway API traffic router plugin, as Argo Rollouts' `argo-rollouts-config` names it. */
const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/**
 * A progressive release handed to Argo Rollouts: an Argo Rollouts `Rollout` (argoproj.io/v1alpha1) carrying the hardened
 * pod template, with a canary (weights, pauses, metric gates; routed by replicas, Istio or the Gateway API) or a
 * blue/green strategy (active and preview Services, an optional pre-promotion gate), and an `AnalysisTemplate` per
 * gate. Everything else is what SecureDeployment gives: a dedicated ServiceAccount, a Service, a
 * PodDisruptionBudget, a NetworkPolicy and, with `metrics`, a PodMonitor (which copies each pod's
 * `rollouts-pod-template-hash` onto its series, so that a gate measures only the new version).
 *
 * The library decides what is written (and refuses what would not work); Argo Rollouts decides, at run time, when
 * to move on, pause, promote or abort. The cluster needs the Argo Rollouts controller (and, for Gateway API routing,
 * its Gateway API plugin).
 */
export class SecureRollout extends HardenedWorkload {
  /** The Rollout (argoproj.io/v1alpha1). */
  public readonly rollout: ApiObject;
  /** The AnalysisTemplates of the gates, one per gate. */
  public readonly analysisTemplates: ApiObject[] = [];
  /** The preview Service (blue/green) or the canary Service (Gateway API canary), if any. */
  public readonly secondaryService?: ApiObject;
  /** The objects Argo Rollouts shifts traffic with: a VirtualService and a DestinationRule (Istio), or an HTTPRoute. */
  public readonly routingObjects: ApiObject[] = [];

  public constructor(scope: Construct, id: string, props: SecureRolloutProps) {
    super(scope, id, 'SecureRollout', props, Object.keys(SECURE_ROLLOUT_PROPS));
    const { where } = this;
    this._openWorkload(props);
    const strategy = checkStrategy(where, props.strategy);
    const replicas = checkInteger(where, 'replicas', props.replicas ?? DEFAULT_REPLICAS, { min: 1, hint: `use 2 or more for availability (default ${DEFAULT_REPLICAS})` });
    const needsService = strategy.kind === 'blueGreen' || strategy.routing !== 'replicas';
    if (needsService && !this.port) {
      throw inputError(where, `${strategy.kind === 'blueGreen' ? 'a blue/green release' : `canary routing ${strategy.routing}`} switches traffic between Services, and the workload has no port`,
        'set `port`, or use RolloutStrategy.canary with replica routing for a worker');
    }
    if (strategy.kind === 'canary' && strategy.routing === 'replicas') checkReplicaWeights(where, strategy, replicas);
    const gates = this.gates(strategy);
    if (gates.size > 0 && props.metrics === undefined) {
      throw inputError(where, `the analysis gate ${quote([...gates.keys()][0])} measures the new version's pods, and nothing scrapes them`,
        'set `metrics` (e.g. metrics: { port: 9090 }): its PodMonitor labels every series with the pods\' rollouts-pod-template-hash, which the gate selects');
    }

    const metadata = { name: this.name, namespace: this.namespaceName, labels: this.labels };
    const templateName = (gate: string) => validateDnsSubdomain(where, `AnalysisTemplate name of gate ${quote(gate)}`, `${this.name}-${gate}`);
    for (const [gateName, gate] of gates) {
      const rendered = gate._render({ where, namespace: this.namespaceName });
      this.analysisTemplates.push(kube.analysisTemplate(this, `AnalysisTemplate-${gateName}`, {
        metadata: { ...metadata, name: templateName(gateName) },
        spec: rendered.spec,
      }));
    }
    const analysis = (gate: AnalysisGate) => ({
      templates: [{ templateName: templateName(gate._name(where)) }],
      args: [{ name: POD_TEMPLATE_HASH_ARG, valueFrom: { podTemplateHashValue: 'Latest' } }],
    });

    const host = this.namespaceName ? `${this.name}.${this.namespaceName}.svc.cluster.local` : this.name;
    const secondaryName = strategy.kind === 'blueGreen'
      ? validateDnsLabel(where, 'previewServiceName', strategy.previewServiceName ?? derivedName(where, this.name, 'preview'))
      : strategy.routing === 'gatewayApi' ? derivedName(where, this.name, 'canary') : undefined;
    if (secondaryName === this.name) {
      throw inputError(where, `previewServiceName ${quote(secondaryName)} is the active Service's name, so the preview would receive the live traffic`,
        `name the preview Service differently (default ${quote(derivedName(where, this.name, 'preview'))})`);
    }
    const gateway = strategy.kind === 'canary' && strategy.gatewayApi ? {
      ref: checkGateway(where, strategy.gatewayApi.gateway, 'RolloutTrafficRouting.gatewayApi gateway'),
      hostnames: checkRouteHostnames(where, strategy.gatewayApi.hostnames),
    } : undefined;
    const servicePort = props.servicePort ?? this.port;

    this.rollout = kube.rollout(this, 'Rollout', {
      metadata,
      spec: {
        replicas,
        revisionHistoryLimit: checkInteger(where, 'revisionHistoryLimit', props.revisionHistoryLimit ?? 5, { min: 0 }),
        selector: { matchLabels: this.selectorLabels },
        // Argo's CRD embeds its own copy of PodTemplateSpec, which differs from cdk8s-plus-27's in the optionality of a
        // few fields (hostAliases[].ip); the tests validate the output against the CRD, strictly.
        template: this._podTemplate() as any,
        strategy: strategy.kind === 'blueGreen'
          ? {
            blueGreen: {
              activeService: this.name,
              previewService: secondaryName,
              autoPromotionEnabled: strategy.autoPromotionEnabled,
              scaleDownDelaySeconds: strategy.scaleDownDelaySeconds,
              ...(strategy.prePromotionAnalysis ? { prePromotionAnalysis: analysis(strategy.prePromotionAnalysis) } : {}),
            },
          }
          : {
            canary: {
              ...(strategy.routing === 'gatewayApi' ? { stableService: this.name, canaryService: secondaryName } : {}),
              ...(strategy.routing === 'istio' ? {
                trafficRouting: {
                  istio: {
                    virtualService: { name: this.name, routes: [ISTIO_ROUTE] },
                    destinationRule: { name: this.name, stableSubsetName: 'stable', canarySubsetName: 'canary' },
                  },
                },
              } : {}),
              ...(strategy.routing === 'gatewayApi' ? {
                trafficRouting: {
                  plugins: { [GATEWAY_API_PLUGIN]: { httpRoute: this.name, ...(this.namespaceName ? { namespace: this.namespaceName } : {}) } },
                },
              } : {}),
              steps: strategy.steps.map((step) => {
                switch (step.kind) {
                  case 'setWeight': return { setWeight: step.weight };
                  case 'pause': return { pause: step.seconds === undefined ? {} : { duration: step.seconds } };
                  default: return { analysis: analysis(step.gate) };
                }
              }),
            },
          },
      },
    });

    // A PodMonitor, not a ServiceMonitor: Argo Rollouts narrows the Services to one version during a release, which
    // would hide the other version's pods; and every series carries the version's pod-template hash for the gates.
    this._exposeAndIsolate({ servicePort: props.servicePort, podMonitor: true, podTargetLabels: [POD_TEMPLATE_HASH_LABEL] });
    if (secondaryName) this.secondaryService = this._addService('SecondaryService', secondaryName);

    if (strategy.kind === 'canary' && strategy.routing === 'istio') {
      this.routingObjects.push(
        kube.destinationRule(this, 'DestinationRule', {
          metadata,
          // Argo Rollouts adds each version's rollouts-pod-template-hash to the subsets' labels.
          spec: { host, subsets: ['stable', 'canary'].map((subset) => ({ name: subset, labels: { ...this.selectorLabels } })) },
        }),
        kube.virtualService(this, 'VirtualService', {
          metadata,
          spec: {
            hosts: [host],
            http: [{
              name: ISTIO_ROUTE,
              route: [
                { destination: { host, subset: 'stable' }, weight: 100 },
                { destination: { host, subset: 'canary' }, weight: 0 },
              ],
            }],
          },
        }),
      );
    }
    if (gateway) {
      this.routingObjects.push(kube.httpRoute(this, 'HttpRoute', {
        metadata,
        spec: {
          parentRefs: [{ name: gateway.ref.name, namespace: gateway.ref.namespace, sectionName: gateway.ref.sectionName }],
          hostnames: gateway.hostnames,
          rules: [{
            backendRefs: [
              { name: this.name, port: servicePort!, weight: 100 },
              { name: secondaryName!, port: servicePort!, weight: 0 },
            ],
          }],
        },
      }));
      // The Gateway's proxies reach the pods from the Gateway's namespace (as CanaryPair admits them).
      if (props.allowIngressFrom === undefined && gateway.ref.namespace && gateway.ref.namespace !== this.namespaceName) {
        this._admitOnPort([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': gateway.ref.namespace } } }], [{ namespaces: [gateway.ref.namespace] }]);
      }
    }
  }

  /** The gates the strategy uses, by name: one AnalysisTemplate each; two different gates may not share a name. */
  private gates(strategy: CheckedCanary | CheckedBlueGreen): Map<string, AnalysisGate> {
    const used = strategy.kind === 'blueGreen'
      ? (strategy.prePromotionAnalysis ? [strategy.prePromotionAnalysis] : [])
      : strategy.steps.flatMap((step) => (step.kind === 'analysis' ? [step.gate] : []));
    const gates = new Map<string, AnalysisGate>();
    for (const gate of used) {
      const name = gate._name(this.where);
      const known = gates.get(name);
      if (known && known !== gate) {
        throw inputError(this.where, `two different analysis gates are named ${quote(name)}, and each gate is one AnalysisTemplate`,
          'give one of them another name (the `name` option), or pass the same gate to both steps');
      }
      gates.set(name, gate);
    }
    return gates;
  }
}

/** With replica routing the weight is the share of pods, so every weight must be a whole number of pods. */
function checkReplicaWeights(where: string, strategy: CheckedCanary, replicas: number): void {
  for (const step of strategy.steps) {
    if (step.kind !== 'setWeight' || (step.weight * replicas) % 100 === 0) continue;
    const needed = 100 / gcd(step.weight, 100);
    throw inputError(where, `setWeight(${step.weight}) with ${replicas} replicas is ${((step.weight * replicas) / 100).toFixed(2)} pods; `
      + 'without traffic routing the weight is the share of pods, so Argo Rollouts would round it',
    `use a multiple of ${needed} replicas, weights that are whole pods of ${replicas}, or route by weight (RolloutTrafficRouting.istio() or .gatewayApi(...))`);
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
