import { Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AnalysisGate, BlueGreenDeployment, BlueGreenSlot, CanaryPair, CanaryRouting, DefaultDenyNamespace, HardenedApp, HealthProbe, IPriorityClass,
  PreviewTest, PriorityClass, RolloutStep, RolloutStrategy, RolloutTrafficRouting, SecureRollout,
} from '../../src';

/** A release stage: how much traffic the new recommendation engine gets, and how it is routed. */
export interface RecommendationsChartProps extends ChartProps {
  readonly namespace: string;
  readonly canaryWeight: number;
  readonly routing: CanaryRouting;
  /** Replicas of each version (with replica routing, their ratio is the weight). */
  readonly replicas: { stable: number; canary: number };
  /** The PriorityClass of both versions (cluster-wide: defined once). */
  readonly priorityClass: IPriorityClass;
}

/** The recommendation engine 1.0.0 (stable) beside 1.2.0 (canary). Promotion is a change of canaryWeight. */
export class RecommendationsChart extends Chart {
  constructor(scope: Construct, id: string, props: RecommendationsChartProps) {
    super(scope, id, props);
    const namespace = new DefaultDenyNamespace(this, 'namespace', { name: props.namespace });
    new CanaryPair(this, 'reco', {
      namespace,
      port: 8080,
      stable: { image: 'quay.io/acme/reco:1.0.0', replicas: props.replicas.stable },
      canary: { image: 'quay.io/acme/reco:1.2.0', replicas: props.replicas.canary },
      canaryWeight: props.canaryWeight,
      routing: props.routing,
      readiness: HealthProbe.http('/ready'),
      priorityClass: props.priorityClass,
    });
  }
}

/** A blue/green stage: which slot serves, and the PriorityClass of both slots. */
export interface RecommendationsBlueGreenChartProps extends ChartProps {
  readonly namespace: string;
  readonly active: BlueGreenSlot;
  readonly priorityClass: IPriorityClass;
}

/**
 * Blue/green: 1.0.0 in blue, 1.2.0 in green. The idle slot answers on `reco-preview`, where the team's smoke tests run
 * as an Argo CD PostSync hook once it is ready (a failure fails the sync); the switch is a change of `active`, and the
 * previous slot stays for a rollback. Migrations must suit both slots while both run (expand, then contract).
 */
export class RecommendationsBlueGreenChart extends Chart {
  constructor(scope: Construct, id: string, props: RecommendationsBlueGreenChartProps) {
    super(scope, id, props);
    const namespace = new DefaultDenyNamespace(this, 'namespace', { name: props.namespace });
    const reco = new BlueGreenDeployment(this, 'reco', {
      namespace,
      port: 8080,
      active: props.active,
      blue: { image: 'quay.io/acme/reco:1.0.0', replicas: 3 },
      green: { image: 'quay.io/acme/reco:1.2.0', replicas: 3 },
      readiness: HealthProbe.http('/ready'),
      priorityClass: props.priorityClass,
    });
    new PreviewTest(this, 'smoke', { namespace, target: reco.previewTarget!, image: 'quay.io/acme/reco-smoke-tests:1.2.0', args: ['--suite', 'smoke'] });
  }
}

export const app = new HardenedApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
const priorityClass = new PriorityClass(new Chart(app, 'reco-platform'), 'priority', {
  name: 'recommendations', value: 50000, description: 'The recommendation engine, scheduled ahead of batch work',
});
// With weighted routing the canary keeps 2 replicas: a weight sent to a drained, single canary pod would fail.
const replicas = { stable: 3, canary: 2 };
// Stage 1, no mesh: 1 canary replica of 4 takes 25 % of the traffic (if it is drained, the Service sends all to stable).
new RecommendationsChart(app, 'reco-replicas', {
  namespace: 'reco-replicas', canaryWeight: 25, routing: CanaryRouting.replicas(), replicas: { stable: 3, canary: 1 }, priorityClass,
});
// Stage 2, Istio: exactly 25 % by weight.
new RecommendationsChart(app, 'reco-weighted', { namespace: 'reco-weighted', canaryWeight: 25, routing: CanaryRouting.istio(), replicas, priorityClass });
// Stage 3, Istio: Safari users try the canary first.
new RecommendationsChart(app, 'reco-safari', {
  namespace: 'reco-safari', canaryWeight: 0, routing: CanaryRouting.istio({ matchHeaders: [{ name: 'user-agent', regex: '.*Safari.*' }] }), replicas, priorityClass,
});
// Stage 4, Istio: dark launch, every request mirrored to the canary, its responses discarded (idempotent requests only).
new RecommendationsChart(app, 'reco-dark', { namespace: 'reco-dark', canaryWeight: 0, routing: CanaryRouting.istio({ mirror: true }), replicas, priorityClass });
// The Gateway API: 25 % by weight through the shared ingress gateway.
new RecommendationsChart(app, 'reco-gateway', {
  namespace: 'reco-gateway',
  canaryWeight: 25,
  routing: CanaryRouting.gatewayApi({ gateway: { name: 'public', namespace: 'gateways' }, hostnames: ['reco.example.com'] }),
  replicas,
  priorityClass,
});
// Blue/green: green (1.2.0) is tested behind reco-preview while blue serves; the next stage switches to green.
new RecommendationsBlueGreenChart(app, 'reco-blue-green', { namespace: 'reco-blue-green', active: BlueGreenSlot.BLUE, priorityClass });
new RecommendationsBlueGreenChart(app, 'reco-switched', { namespace: 'reco-switched', active: BlueGreenSlot.GREEN, priorityClass });
// Promotion gated by metrics: Argo Rollouts shifts 10 → 25 → 50 % through Istio and aborts when the new version's success
// rate falls below 99 % or its p99 latency exceeds 300 ms (no traffic at all fails the gate too); a person promotes the rest.
const prometheus = 'http://prometheus-operated.monitoring.svc:9090';
const gated = new Chart(app, 'reco-gated', { namespace: 'reco-gated' });
new SecureRollout(gated, 'reco', {
  namespace: new DefaultDenyNamespace(gated, 'namespace', { name: 'reco-gated' }),
  image: 'quay.io/acme/reco:1.2.0',
  port: 8080,
  replicas: 4,
  readiness: HealthProbe.http('/ready'),
  priorityClass,
  metrics: { port: 9090 },
  strategy: RolloutStrategy.canary({
    trafficRouting: RolloutTrafficRouting.istio(),
    steps: [
      RolloutStep.weight(10), RolloutStep.pause(Duration.minutes(2)),
      RolloutStep.analysis(AnalysisGate.prometheusSuccessRate({ address: prometheus, minimum: 0.99, failureLimit: 1 })),
      RolloutStep.weight(25),
      RolloutStep.analysis(AnalysisGate.prometheusLatency({ address: prometheus, quantile: 0.99, maximum: Duration.millis(300) })),
      RolloutStep.weight(50), RolloutStep.pauseUntilPromoted(),
    ],
  }),
});
app.synth();
