import type { Duration } from 'cdk8s';
import type { AnalysisGate } from './analysis-gate';
import type { GatewayReference } from './canary-routing';
import type { RoutingSpec, StepSpec, StrategySpec } from './rollout-plan';

/** One step of a canary release. */
export class RolloutStep {
  /** Send this share of the traffic (whole percent, 0 to 100) to the new version. */
  public static weight(percent: number): RolloutStep {
    return new RolloutStep({ kind: 'setWeight', weight: percent });
  }

  /** Wait this long (whole seconds, at least one) before the next step. */
  public static pause(duration: Duration): RolloutStep {
    return new RolloutStep({ kind: 'pause', duration });
  }

  /** Wait until a person promotes the release (`kubectl argo rollouts promote <name>`). */
  public static pauseUntilPromoted(): RolloutStep {
    return new RolloutStep({ kind: 'pause' });
  }

  /** Measure the new version with a gate; the release goes on when it passes and is aborted when it fails. */
  public static analysis(gate: AnalysisGate): RolloutStep {
    return new RolloutStep({ kind: 'analysis', gate });
  }

  private constructor(private readonly step: StepSpec) {}

  /**
   * The step, unchecked.
   * @internal
   */
  public get _step(): StepSpec {
    return this.step;
  }
}


/** How a canary's traffic reaches the new version. */
export class RolloutTrafficRouting {
  /**
   * No mesh: the Service selects the pods of both versions, and the weight is the share of new pods (Argo Rollouts
   * rounds it to whole pods).
   */
  public static replicas(): RolloutTrafficRouting {
    return new RolloutTrafficRouting({ kind: 'replicas' });
  }

  /**
   * Istio: a DestinationRule with a `stable` and a `canary` subset (Argo Rollouts adds each version's pod-template hash
   * to them) and a VirtualService whose one route sends 100 % to `stable` and 0 % to `canary`; Argo Rollouts sets the
   * weights at each step.
   */
  public static istio(): RolloutTrafficRouting {
    return new RolloutTrafficRouting({ kind: 'istio' });
  }

  /**
   * The Gateway API through Argo Rollouts' `argoproj-labs/gatewayAPI` plugin (installed in the controller's
   * `argo-rollouts-config`): an HTTPRoute on the Gateway with the stable Service at weight 100 and the canary Service
   * at weight 0; the plugin sets the weights at each step.
   */
  public static gatewayApi(options: GatewayApiRolloutOptions): RolloutTrafficRouting {
    return new RolloutTrafficRouting({ kind: 'gatewayApi', gatewayApi: options });
  }

  private constructor(private readonly routing: RoutingSpec) {}

  /**
   * The routing, unchecked.
   * @internal
   */
  public get _routing(): RoutingSpec {
    return this.routing;
  }
}


/** Options of Gateway API routing for a Rollout. */
export interface GatewayApiRolloutOptions {
  /** The Gateway the HTTPRoute attaches to. */
  readonly gateway: GatewayReference;
  /**
   * Host names the route serves (DNS names, optionally under a wildcard label).
   * @default - every host name of the listener
   */
  readonly hostnames?: string[];
}

/** Options of a canary release. */
export interface CanaryStrategyOptions {
  /** The steps, in order: weights must increase, and at least one step is needed. */
  readonly steps: RolloutStep[];
  /**
   * How traffic reaches the new version.
   * @default RolloutTrafficRouting.replicas()
   */
  readonly trafficRouting?: RolloutTrafficRouting;
}

/** Options of a blue/green release. */
export interface BlueGreenStrategyOptions {
  /**
   * Measure the new version (behind the preview Service) before it gets the traffic.
   * @default - no analysis
   */
  readonly prePromotionAnalysis?: AnalysisGate;
  /**
   * Switch the traffic to the new version as soon as it is ready (and the pre-promotion analysis passed). Without
   * it, the release waits for `kubectl argo rollouts promote`.
   * @default - true with a prePromotionAnalysis (the gate decides), false without (a person decides)
   */
  readonly autoPromotionEnabled?: boolean;
  /**
   * How long the old version keeps running after the switch, so that a rollback is immediate (and clients'
   * connections drain). Whole seconds.
   * @default Duration.seconds(30) (Argo Rollouts' default)
   */
  readonly scaleDownDelay?: Duration;
  /**
   * The name of the preview Service, which selects the new version before promotion.
   * @default - "<name>-preview"
   */
  readonly previewServiceName?: string;
}


/** How Argo Rollouts replaces the old version with the new one. */
export class RolloutStrategy {
  /** Shift traffic to the new version step by step (weights, pauses, analyses). */
  public static canary(options: CanaryStrategyOptions): RolloutStrategy {
    return new RolloutStrategy({ kind: 'canary', canary: options });
  }

  /** Run the new version beside the old one behind a preview Service, then switch the active Service at once. */
  public static blueGreen(options: BlueGreenStrategyOptions = {}): RolloutStrategy {
    return new RolloutStrategy({ kind: 'blueGreen', blueGreen: options });
  }

  private constructor(private readonly strategy: StrategySpec) {}

  /**
   * The strategy, unchecked.
   * @internal
   */
  public get _strategy(): StrategySpec {
    return this.strategy;
  }
}
