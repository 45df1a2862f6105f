// What a Rollout's strategy settles, checked: internal to the library (SecureRollout renders it).
import { Duration } from 'cdk8s';
import type { AnalysisGate } from './analysis-gate';
import type { BlueGreenStrategyOptions, CanaryStrategyOptions, GatewayApiRolloutOptions, RolloutStep, RolloutStrategy, RolloutTrafficRouting } from './rollout-strategy';
import { inputError } from '../../core/errors';
import { checkInstance, checkInteger, checkList, checkOptionalBoolean, checkOptionalString, checkPropsObject, PropKeys } from '../../core/prop-checks';

/** The argument Argo Rollouts fills with the new version's pod-template hash, which every gate's query selects on. */
export const POD_TEMPLATE_HASH_ARG = 'pod-template-hash';
/** The pod label Argo Rollouts puts on the pods of each version (the PodMonitor copies it onto every series). */
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

/** A gate, checked against the Rollout that uses it: its name and the AnalysisTemplate spec it renders. */
export interface RenderedGate {
  readonly name: string;
  readonly spec: any;
}

/** What a gate needs from the Rollout to render. */
export interface GateContext {
  readonly where: string;
  readonly namespace?: string;
}

/** A step as its factory records it (checked when a Rollout renders it). */
export interface StepSpec {
  readonly kind: 'setWeight' | 'pause' | 'analysis';
  readonly weight?: unknown;
  readonly duration?: unknown;
  readonly gate?: unknown;
}

/** A traffic routing as its factory records it. */
export interface RoutingSpec {
  readonly kind: 'replicas' | 'istio' | 'gatewayApi';
  readonly gatewayApi?: GatewayApiRolloutOptions;
}

/** A strategy as its factory records it. */
export interface StrategySpec {
  readonly kind: 'canary' | 'blueGreen';
  readonly canary?: CanaryStrategyOptions;
  readonly blueGreen?: BlueGreenStrategyOptions;
}

const CANARY_KEYS: PropKeys<CanaryStrategyOptions> = { steps: true, trafficRouting: true };
const BLUE_GREEN_KEYS: PropKeys<BlueGreenStrategyOptions> = {
  prePromotionAnalysis: true, autoPromotionEnabled: true, scaleDownDelay: true, previewServiceName: true,
};
const GATEWAY_API_KEYS: PropKeys<GatewayApiRolloutOptions> = { gateway: true, hostnames: true };
/** Argo Rollouts' canary step count is not bounded; a release of more steps than this is a mistake. */
const MAX_STEPS = 100;

/** A canary step, checked. */
export type CheckedStep =
  | { readonly kind: 'setWeight'; readonly weight: number }
  | { readonly kind: 'pause'; readonly seconds?: number }
  | { readonly kind: 'analysis'; readonly gate: AnalysisGate };

/** A canary, checked. */
export interface CheckedCanary {
  readonly kind: 'canary';
  readonly steps: CheckedStep[];
  readonly routing: 'replicas' | 'istio' | 'gatewayApi';
  readonly gatewayApi?: GatewayApiRolloutOptions;
}

/** A blue/green, checked. */
export interface CheckedBlueGreen {
  readonly kind: 'blueGreen';
  readonly prePromotionAnalysis?: AnalysisGate;
  readonly autoPromotionEnabled: boolean;
  readonly scaleDownDelaySeconds: number;
  readonly previewServiceName?: string;
}

/** Checks a strategy for a Rollout (errors name the Rollout). */
export function checkStrategy(where: string, given: unknown): CheckedCanary | CheckedBlueGreen {
  const strategy = checkInstance<RolloutStrategy>(where, 'strategy', given, '_strategy', 'a RolloutStrategy (RolloutStrategy.canary(...) or RolloutStrategy.blueGreen(...))')._strategy;
  if (strategy.kind === 'canary') {
    const options = checkPropsObject(where, strategy.canary!, CANARY_KEYS, 'RolloutStrategy.canary options');
    const steps = checkList<RolloutStep>(where, 'RolloutStrategy.canary steps', options.steps)
      .map((step, i) => checkStep(where, i, step));
    if (steps.length === 0) {
      throw inputError(where, 'RolloutStrategy.canary has no steps, so Argo Rollouts would replace every pod at once, like a Deployment',
        'give steps, e.g. [RolloutStep.weight(20), RolloutStep.pause(Duration.minutes(5)), RolloutStep.analysis(gate)], or use SecureDeployment');
    }
    if (steps.length > MAX_STEPS) throw inputError(where, `RolloutStrategy.canary has ${steps.length} steps`, `use at most ${MAX_STEPS}`);
    let last = 0;
    steps.forEach((step, i) => {
      if (step.kind !== 'setWeight') return;
      if (step.weight <= last) {
        throw inputError(where, `canary steps[${i}] sets weight ${step.weight}, not above the ${last} % an earlier step set`,
          'make the weights increase (e.g. 10, 25, 50); to go back, abort the release (kubectl argo rollouts abort)');
      }
      last = step.weight;
    });
    const routing = options.trafficRouting === undefined
      ? { kind: 'replicas' as const }
      : checkInstance<RolloutTrafficRouting>(where, 'trafficRouting', options.trafficRouting, '_routing', 'a RolloutTrafficRouting (e.g. RolloutTrafficRouting.istio())')._routing;
    const gatewayApi = routing.kind === 'gatewayApi'
      ? checkPropsObject(where, routing.gatewayApi!, GATEWAY_API_KEYS, 'RolloutTrafficRouting.gatewayApi options')
      : undefined;
    return { kind: 'canary', steps, routing: routing.kind, gatewayApi };
  }
  const options = checkPropsObject(where, strategy.blueGreen ?? {}, BLUE_GREEN_KEYS, 'RolloutStrategy.blueGreen options');
  const prePromotionAnalysis = options.prePromotionAnalysis === undefined
    ? undefined
    : checkInstance<AnalysisGate>(where, 'prePromotionAnalysis', options.prePromotionAnalysis, '_render()', 'an AnalysisGate (e.g. AnalysisGate.prometheusSuccessRate(...))');
  const delay = options.scaleDownDelay === undefined ? 30 : wholeSeconds(where, 'RolloutStrategy.blueGreen scaleDownDelay', options.scaleDownDelay, 0);
  return {
    kind: 'blueGreen',
    prePromotionAnalysis,
    autoPromotionEnabled: checkOptionalBoolean(where, 'autoPromotionEnabled', options.autoPromotionEnabled) ?? prePromotionAnalysis !== undefined,
    scaleDownDelaySeconds: delay,
    previewServiceName: checkOptionalString(where, 'previewServiceName', options.previewServiceName),
  };
}

function checkStep(where: string, i: number, given: unknown): CheckedStep {
  const step = checkInstance<RolloutStep>(where, `canary steps[${i}]`, given, '_step', 'a RolloutStep (e.g. RolloutStep.weight(25))')._step;
  switch (step.kind) {
    case 'setWeight':
      return { kind: 'setWeight', weight: checkInteger(where, `canary steps[${i}] weight`, step.weight, { min: 0, max: 100, hint: 'use a whole percentage from 0 to 100' }) };
    case 'pause':
      return { kind: 'pause', seconds: step.duration === undefined ? undefined : wholeSeconds(where, `canary steps[${i}] pause`, step.duration, 1) };
    default:
      if (step.gate === undefined || step.gate === null) {
        throw inputError(where, `canary steps[${i}] is an analysis with no gate, which would measure nothing`, 'pass a gate: RolloutStep.analysis(AnalysisGate.prometheusSuccessRate({ ... }))');
      }
      return { kind: 'analysis', gate: checkInstance<AnalysisGate>(where, `canary steps[${i}] gate`, step.gate, '_render()', 'an AnalysisGate (e.g. AnalysisGate.prometheusSuccessRate(...))') };
  }
}

/** A Duration as whole seconds, at least `min` (Argo Rollouts reads pauses and delays in seconds). */
function wholeSeconds(where: string, what: string, value: unknown, min: number): number {
  if (!(value instanceof Duration)) throw inputError(where, `${what} is not a Duration`, 'pass a cdk8s Duration, e.g. Duration.minutes(5)');
  const millis = value.toMilliseconds();
  if (!Number.isInteger(millis) || millis % 1000 !== 0 || millis / 1000 < min || millis / 1000 > 2147483647) {
    throw inputError(where, `${what} of ${millis} ms is not a whole number of seconds${min ? ' above zero' : ''}`,
      `use whole seconds, e.g. Duration.seconds(${Math.max(min, Math.round(millis / 1000)) || 30})`);
  }
  return millis / 1000;
}
