import { Duration, JsonPatch } from 'cdk8s';
import {
  AnalysisGate, HealthProbe, Policy, PolicyPack, RolloutStep, RolloutStrategy, RolloutTrafficRouting, SecureRollout, SecureRolloutProps,
} from '../../../src';
import { crdFindings } from '../../support/crd-schema';
import { Manifest, only, podSpec, schemaFindings, synth, testChart } from '../../support/helpers';

const ALL_PACKS = { packs: [...PolicyPack.defaults(), PolicyPack.BASELINE] };
const PROMETHEUS = 'http://prometheus-operated.monitoring.svc:9090';

const successRate = AnalysisGate.prometheusSuccessRate({ address: PROMETHEUS, minimum: 0.99 });
const latency = AnalysisGate.prometheusLatency({ address: PROMETHEUS, maximum: Duration.millis(500), failureLimit: 1 });

function rollout(props: Partial<SecureRolloutProps> = {}) {
  const { app, chart } = testChart();
  const workload = new SecureRollout(chart, 'web', {
    image: 'ghcr.io/acme/web:1.4.2',
    port: 8080,
    metrics: { port: 9090 },
    replicas: 4,
    strategy: RolloutStrategy.canary({
      steps: [
        RolloutStep.weight(25), RolloutStep.pause(Duration.minutes(2)), RolloutStep.analysis(successRate),
        RolloutStep.weight(50), RolloutStep.analysis(latency), RolloutStep.pauseUntilPromoted(),
      ],
    }),
    ...props,
  });
  return { app, chart, workload, manifests: synth(chart) };
}

/** Core kinds against the Kubernetes schema, custom resources against their CRDs: strictly, no finding. */
function expectValid(manifests: Manifest[]): void {
  const custom = (m: Manifest) => /^(argoproj\.io|monitoring\.coreos\.com)\//.test(m.apiVersion);
  expect(schemaFindings(manifests.filter((m) => !custom(m)))).toEqual([]);
  expect(manifests.filter(custom).flatMap((m) => crdFindings(m).map((f) => `${m.kind}/${m.metadata.name}${f}`))).toEqual([]);
}

const kinds = (manifests: Manifest[]) => manifests.map((m) => `${m.kind}/${m.metadata.name}`);

describe('SecureRollout, canary routed by replicas', () => {
  // GIVEN a canary with weights, a pause, two gates and a manual promotion, WHEN synthesized
  const { app, manifests } = rollout();
  const object = only(manifests, 'Rollout');

  test('a Rollout instead of a Deployment, with what a hardened workload has, and a template per gate (snapshot)', () => {
    expect(kinds(manifests)).toEqual([
      'ServiceAccount/web', 'AnalysisTemplate/web-success-rate', 'AnalysisTemplate/web-latency', 'Rollout/web',
      'Service/web', 'PodDisruptionBudget/web', 'NetworkPolicy/web', 'PodMonitor/web',
    ]);
    expect(manifests).toMatchSnapshot();
  });

  test('schema-valid (the Rollout and AnalysisTemplates against the Argo Rollouts CRDs) with zero findings in every pack', () => {
    expectValid(manifests);
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
  });

  test('the steps are written as Argo Rollouts reads them; each analysis measures the new version (its pod-template hash)', () => {
    const hash = [{ name: 'pod-template-hash', valueFrom: { podTemplateHashValue: 'Latest' } }];
    expect(object.spec.strategy).toEqual({
      canary: {
        steps: [
          { setWeight: 25 },
          { pause: { duration: 120 } },
          { analysis: { templates: [{ templateName: 'web-success-rate' }], args: hash } },
          { setWeight: 50 },
          { analysis: { templates: [{ templateName: 'web-latency' }], args: hash } },
          { pause: {} },
        ],
      },
    });
    expect(object.spec).toMatchObject({ replicas: 4, selector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } } });
  });

  test('the pod template is the hardened one', () => {
    expect(podSpec(object)).toMatchObject({
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect(podSpec(object).containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  test('the success-rate gate: NaN and an empty result fail, and the limits are written', () => {
    const template = manifests.find((m) => m.metadata.name === 'web-success-rate')!;
    expect(template.spec).toEqual({
      args: [{ name: 'pod-template-hash' }],
      metrics: [{
        name: 'success-rate',
        interval: '1m',
        count: 5,
        failureLimit: 0,
        consecutiveErrorLimit: 4,
        successCondition: 'len(result) > 0 && !isNaN(result[0]) && result[0] >= 0.99',
        provider: {
          prometheus: {
            address: PROMETHEUS,
            query: 'sum(rate(http_requests_total{namespace="shop",rollouts_pod_template_hash="{{args.pod-template-hash}}",code!~"5.."}[5m]))'
              + ' / sum(rate(http_requests_total{namespace="shop",rollouts_pod_template_hash="{{args.pod-template-hash}}"}[5m]))',
          },
        },
      }],
    });
  });

  test('the latency gate compares the quantile in seconds', () => {
    const metric = manifests.find((m) => m.metadata.name === 'web-latency')!.spec.metrics[0];
    expect(metric.successCondition).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.5');
    expect(metric.failureLimit).toBe(1);
    expect(metric.provider.prometheus.query).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="shop",rollouts_pod_template_hash="{{args.pod-template-hash}}"}[5m])))');
  });

  test('a PodMonitor copies each pod\'s rollouts-pod-template-hash onto its series (Argo narrows the Services during a release)', () => {
    expect(only(manifests, 'PodMonitor').spec).toMatchObject({ podTargetLabels: ['rollouts-pod-template-hash'], podMetricsEndpoints: [{ port: 'metrics' }] });
  });
});

describe('SecureRollout, canary routed by Istio', () => {
  const { app, manifests } = rollout({
    strategy: RolloutStrategy.canary({
      steps: [RolloutStep.weight(10), RolloutStep.analysis(successRate), RolloutStep.weight(60)],
      trafficRouting: RolloutTrafficRouting.istio(),
    }),
    replicas: 3,
  });

  test('the Rollout names a VirtualService and a DestinationRule, which it renders with both weights (snapshot)', () => {
    expect(only(manifests, 'Rollout').spec.strategy.canary.trafficRouting).toEqual({
      istio: {
        virtualService: { name: 'web', routes: ['primary'] },
        destinationRule: { name: 'web', stableSubsetName: 'stable', canarySubsetName: 'canary' },
      },
    });
    const host = 'web.shop.svc.cluster.local';
    expect(only(manifests, 'VirtualService').spec).toEqual({
      hosts: [host],
      http: [{ name: 'primary', route: [{ destination: { host, subset: 'stable' }, weight: 100 }, { destination: { host, subset: 'canary' }, weight: 0 }] }],
    });
    expect(only(manifests, 'DestinationRule').spec.subsets.map((s: any) => s.name)).toEqual(['stable', 'canary']);
    expect(manifests).toMatchSnapshot();
  });

  test('weights need not be whole pods (Istio splits the traffic); valid, zero findings', () => {
    expectValid(manifests);
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
  });
});

describe('SecureRollout, canary routed by the Gateway API plugin', () => {
  const { app, manifests } = rollout({
    strategy: RolloutStrategy.canary({
      steps: [RolloutStep.weight(20), RolloutStep.analysis(successRate)],
      trafficRouting: RolloutTrafficRouting.gatewayApi({ gateway: { name: 'public', namespace: 'gateways' }, hostnames: ['shop.example.com'] }),
    }),
  });

  test('a stable and a canary Service, an HTTPRoute with both weights, and the plugin naming the route (snapshot)', () => {
    expect(only(manifests, 'Rollout').spec.strategy.canary).toMatchObject({
      stableService: 'web',
      canaryService: 'web-canary',
      trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web', namespace: 'shop' } } },
    });
    expect(only(manifests, 'HTTPRoute').spec).toEqual({
      parentRefs: [{ name: 'public', namespace: 'gateways' }],
      hostnames: ['shop.example.com'],
      rules: [{ backendRefs: [{ name: 'web', port: 8080, weight: 100 }, { name: 'web-canary', port: 8080, weight: 0 }] }],
    });
    const services = manifests.filter((m) => m.kind === 'Service');
    expect(services.map((s) => s.metadata.name)).toEqual(['web', 'web-canary']);
    expect(services[1].spec).toEqual(services[0].spec);
    expect(manifests).toMatchSnapshot();
  });

  test('the Gateway\'s namespace reaches the port', () => {
    expect(only(manifests, 'NetworkPolicy').spec.ingress[0].from).toContainEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } });
  });

  test('valid, zero findings', () => {
    expectValid(manifests);
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
  });
});

describe('SecureRollout, blue/green', () => {
  const strategy = RolloutStrategy.blueGreen({ prePromotionAnalysis: successRate, scaleDownDelay: Duration.minutes(1) });
  const { app, manifests } = rollout({ strategy });

  test('an active and a preview Service, the gate before promotion, promoted by the gate (snapshot)', () => {
    expect(only(manifests, 'Rollout').spec.strategy).toEqual({
      blueGreen: {
        activeService: 'web',
        previewService: 'web-preview',
        autoPromotionEnabled: true,
        scaleDownDelaySeconds: 60,
        prePromotionAnalysis: {
          templates: [{ templateName: 'web-success-rate' }], args: [{ name: 'pod-template-hash', valueFrom: { podTemplateHashValue: 'Latest' } }],
        },
      },
    });
    expect(manifests.filter((m) => m.kind === 'Service').map((s) => s.metadata.name)).toEqual(['web', 'web-preview']);
    expect(manifests).toMatchSnapshot();
  });

  test('valid, zero findings', () => {
    expectValid(manifests);
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
  });

  test('without a gate a person promotes, and the old version stays 30 s', () => {
    const { manifests: plain } = rollout({ strategy: RolloutStrategy.blueGreen(), metrics: undefined });
    expect(only(plain, 'Rollout').spec.strategy.blueGreen).toEqual({ activeService: 'web', previewService: 'web-preview', autoPromotionEnabled: false, scaleDownDelaySeconds: 30 });
    expect(kinds(plain)).not.toContain('AnalysisTemplate/web-success-rate');
  });
});

describe('SecureRollout details', () => {
  test('a worker rolls out by replicas, with no Service', () => {
    const { manifests } = rollout({
      port: undefined,
      metrics: undefined,
      liveness: HealthProbe.exec(['/bin/healthy']),
      strategy: RolloutStrategy.canary({ steps: [RolloutStep.weight(50), RolloutStep.pauseUntilPromoted()] }),
      command: ['worker'],
    });
    expect(kinds(manifests).filter((k) => k.startsWith('Service/'))).toEqual([]);
  });

  test('one gate used twice is one AnalysisTemplate', () => {
    const steps = [RolloutStep.weight(25), RolloutStep.analysis(successRate), RolloutStep.weight(50), RolloutStep.analysis(successRate)];
    const { manifests } = rollout({ strategy: RolloutStrategy.canary({ steps }) });
    expect(manifests.filter((m) => m.kind === 'AnalysisTemplate').map((m) => m.metadata.name)).toEqual(['web-success-rate']);
  });

  test('the gate\'s selector is escaped into the query; a trailing slash of the address is dropped', () => {
    const gate = AnalysisGate.prometheusSuccessRate({ address: `${PROMETHEUS}/`, minimum: 0.995, selector: { handler: '/api/v1' }, window: Duration.seconds(90) });
    const { manifests } = rollout({ strategy: RolloutStrategy.canary({ steps: [RolloutStep.weight(25), RolloutStep.analysis(gate)] }) });
    const metric = only(manifests, 'AnalysisTemplate').spec.metrics[0];
    expect(metric.provider.prometheus).toEqual({
      address: PROMETHEUS,
      query: 'sum(rate(http_requests_total{namespace="shop",rollouts_pod_template_hash="{{args.pod-template-hash}}",handler="/api/v1",code!~"5.."}[90s]))'
        + ' / sum(rate(http_requests_total{namespace="shop",rollouts_pod_template_hash="{{args.pod-template-hash}}",handler="/api/v1"}[90s]))',
    });
  });

  test('the policy engine judges the Rollout\'s pod template: a privileged container in it is found', () => {
    // GIVEN a Rollout whose pod template is made non-compliant after construction
    const { app, workload } = rollout();
    workload.rollout.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/privileged', true));
    // WHEN the packs judge the app
    const findings = Policy.report(app, ALL_PACKS).findings;
    // THEN the Rollout is flagged, at its construct path
    expect(findings.filter((f) => f.kind === 'Rollout').map((f) => [f.ruleId, f.path])).toEqual([['PSS-PRIVILEGED', 'shop/web/Rollout']]);
  });
});
