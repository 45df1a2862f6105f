import { Duration } from 'cdk8s';
import { AnalysisGate, RolloutStep, RolloutStrategy, RolloutTrafficRouting, SecureRollout, SecureRolloutProps } from '../../../src';
import { errorOf, only, synth, testChart } from '../../support/helpers';

const IMAGE = 'ghcr.io/acme/web:1.4.2';
const PROMETHEUS = 'http://prometheus-operated.monitoring.svc:9090';

function build(props: Partial<SecureRolloutProps>) {
  const { chart } = testChart();
  new SecureRollout(chart, 'web', { image: IMAGE, port: 8080, metrics: { port: 9090 }, replicas: 4, strategy: RolloutStrategy.blueGreen(), ...props });
  return synth(chart);
}

const canary = (...steps: RolloutStep[]) => ({ strategy: RolloutStrategy.canary({ steps }) });
const gated = (options: any, latency = false) => canary(RolloutStep.weight(25),
  RolloutStep.analysis(latency ? AnalysisGate.prometheusLatency(options) : AnalysisGate.prometheusSuccessRate(options)));
const successRate = (options: any = {}) => gated({ address: PROMETHEUS, minimum: 0.99, ...options });

describe('SecureRollout refuses, naming the construct, the value and the fix', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['a weight above 100', () => build(canary(RolloutStep.weight(101))), /canary steps\[0\] weight.*101.*whole percentage from 0 to 100/],
    ['a negative weight', () => build(canary(RolloutStep.weight(-5))), /canary steps\[0\] weight.*-5/],
    ['a fractional weight', () => build(canary(RolloutStep.weight(12.5))), /canary steps\[0\] weight.*12\.5/],
    ['weights that go down', () => build(canary(RolloutStep.weight(50), RolloutStep.weight(25))),
      /canary steps\[1\] sets weight 25, not above the 50 % an earlier step set; make the weights increase/],
    ['a weight set twice', () => build(canary(RolloutStep.weight(25), RolloutStep.pauseUntilPromoted(), RolloutStep.weight(25))), /steps\[2\] sets weight 25, not above the 25/],
    ['a canary with no steps', () => build(canary()), /RolloutStrategy.canary has no steps, so Argo Rollouts would replace every pod at once.*give steps/],
    ['a pause of a fraction of a second', () => build(canary(RolloutStep.weight(25), RolloutStep.pause(Duration.millis(1500)))),
      /canary steps\[1\] pause of 1500 ms is not a whole number of seconds above zero/],
    ['a pause of zero', () => build(canary(RolloutStep.weight(25), RolloutStep.pause(Duration.seconds(0)))), /steps\[1\] pause of 0 ms is not a whole number of seconds above zero/],
    ['a pause that is no Duration', () => build(canary(RolloutStep.pause('5m' as any))), /steps\[0\] pause is not a Duration; pass a cdk8s Duration/],
    ['an analysis with no gate', () => build(canary(RolloutStep.analysis(undefined as any))), /steps\[0\] is an analysis with no gate, which would measure nothing/],
    ['an analysis of something else', () => build(canary(RolloutStep.analysis({ name: 'x' } as any))), /steps\[0\] gate.*AnalysisGate/],
    ['a step that is no RolloutStep', () => build({ strategy: RolloutStrategy.canary({ steps: [{ setWeight: 20 } as any] }) }), /steps\[0\].*RolloutStep/],
    ['a strategy that is no RolloutStrategy', () => build({ strategy: { canary: { steps: [] } } as any }), /strategy.*RolloutStrategy/],
    ['no strategy at all (a JavaScript caller)', () => build({ strategy: undefined as any }), /strategy.*RolloutStrategy/],
    ['a preview Service named as the active one', () => build({ strategy: RolloutStrategy.blueGreen({ previewServiceName: 'web' }) }),
      /previewServiceName "web" is the active Service's name.*name the preview Service differently \(default "web-preview"\)/],
    ['a scale-down delay of a fraction of a second', () => build({ strategy: RolloutStrategy.blueGreen({ scaleDownDelay: Duration.millis(500) }) }),
      /scaleDownDelay of 500 ms is not a whole number of seconds/],
    ['blue/green for a worker', () => build({ port: undefined, liveness: undefined }),
      /a blue\/green release switches traffic between Services, and the workload has no port; set `port`/],
    ['Istio routing for a worker', () => build({ port: undefined, strategy: RolloutStrategy.canary({ steps: [RolloutStep.weight(50)], trafficRouting: RolloutTrafficRouting.istio() }) }),
      /canary routing istio switches traffic between Services, and the workload has no port/],
    ['a weight that is not whole pods without traffic routing', () => build({ replicas: 2, ...canary(RolloutStep.weight(25)) }),
      /setWeight\(25\) with 2 replicas is 0\.50 pods.*use a multiple of 4 replicas.*or route by weight/],
    ['a gate with nothing scraping the pods', () => build({ metrics: undefined, ...successRate() }),
      /the analysis gate "success-rate" measures the new version's pods, and nothing scrapes them; set `metrics`/],
    ['two different gates of one name', () => build(canary(
      RolloutStep.weight(25), RolloutStep.analysis(AnalysisGate.prometheusSuccessRate({ address: PROMETHEUS, minimum: 0.99 })),
      RolloutStep.weight(50), RolloutStep.analysis(AnalysisGate.prometheusSuccessRate({ address: PROMETHEUS, minimum: 0.999 })),
    )), /two different analysis gates are named "success-rate"/],
    ['a minimum of 0', () => build(successRate({ minimum: 0 })), /AnalysisGate minimum 0 is not a number above 0 and at most 1/],
    ['a minimum above 1 (a percentage)', () => build(successRate({ minimum: 99 })), /minimum 99 is not a number above 0 and at most 1; use the share/],
    ['a minimum that is NaN', () => build(successRate({ minimum: NaN })), /minimum NaN is not a number/],
    ['a quantile of 1', () => build(gated({ address: PROMETHEUS, quantile: 1, maximum: Duration.millis(500) }, true)), /quantile 1 is not a number above 0 and below 1/],
    ['a latency maximum of zero', () => build(gated({ address: PROMETHEUS, maximum: Duration.millis(0) }, true)), /maximum of 0 ms is not a positive whole number of milliseconds/],
    ['a window of a fraction of a second', () => build(successRate({ window: Duration.millis(2500) })), /window of 2500 ms is not a positive whole number of seconds/],
    ['a failureLimit that can never be reached', () => build(successRate({ count: 3, failureLimit: 3 })),
      /tolerates 3 failed measurements of 3, so it could never fail; set failureLimit below count/],
    ['a gate name that is no DNS label', () => build(successRate({ name: 'Success Rate' })), /AnalysisGate name/],
    ['a metric name that is no metric name', () => build(successRate({ requestsMetric: 'http_requests_total{job="x"}' })), /requestsMetric .* is not a Prometheus metric name/],
  ])('%s', (_, body, message) => {
    expect(errorOf(body).message).toMatch(new RegExp(`^SecureRollout shop/web: .*${message.source}`));
  });
});

describe('the Prometheus address is an http(s) URL to a Prometheus server', () => {
  test.each([
    ['http://169.254.169.254/latest/meta-data', /points at 169\.254\.169\.254/],
    ['http://metadata.google.internal/computeMetadata/v1', /points at metadata\.google\.internal/],
    ['http://[fd00:ec2::254]/', /points at/],
    ['http://localhost:9090', /points at localhost/],
    ['http://127.0.0.1:9090', /points at loopback/],
    ['ftp://prometheus:9090', /is not an http\(s\) URL/],
    ['prometheus:9090', /is not an http\(s\) URL/],
    ['http://prometheus:9090/?query=up', /without credentials, query or fragment/],
    ['http://prometheus:9090/{{args.x}}', /is not an http\(s\) URL/],
  ])('%s is refused', (address, message) => {
    expect(errorOf(() => build(successRate({ address }))).message).toMatch(message);
  });

  test('credentials in the URL are refused without being echoed', () => {
    const message = errorOf(() => build(successRate({ address: 'https://admin:hunter2@prometheus.example.com' }))).message;
    expect(message).toMatch(/AnalysisGate address \(a URL with credentials\) is not an http\(s\) URL without credentials/);
    expect(message).not.toContain('hunter2');
  });
});

describe('label values cannot inject PromQL', () => {
  const queryOf = (selector: { [label: string]: string }) => {
    const manifests = build(successRate({ selector }));
    return only(manifests, 'AnalysisTemplate').spec.metrics[0].provider.prometheus.query as string;
  };

  test('a value that closes the literal and the selector stays inside one escaped string literal', () => {
    // GIVEN a hostile value that would end the matcher and add `or vector(1)` (always 1: the gate would always pass)
    const hostile = 'web"} or vector(1) or foo{a="';
    // WHEN rendered
    const query = queryOf({ job: hostile });
    // THEN the value is one string literal, its quotes escaped; no unescaped quote follows the opening one until the end
    expect(query).toContain('job="web\\"} or vector(1) or foo{a=\\""');
    const literals = query.match(/job="(?:[^"\\]|\\.)*"/g)!;
    expect(literals.map((l) => JSON.parse(l.slice('job='.length)))).toEqual([hostile, hostile]);
  });

  test('backslashes and line breaks are escaped too', () => {
    const query = queryOf({ handler: 'a\\"\nb' });
    expect(query).toContain('handler="a\\\\\\"\\nb"');
    expect(query).not.toContain('\n');
  });

  test.each<[string, { [label: string]: string }, RegExp]>([
    ['a label name with PromQL in it', { 'job"}': 'x' }, /selector label .* is not a Prometheus label name/],
    ['a reserved label name', { __name__: 'up' }, /selector label "__name__" is not a Prometheus label name/],
    ['an Argo template in a value', { job: '{{args.pod-template-hash}}' }, /holds "\{\{", which Argo Rollouts would read as a template argument/],
    ['the namespace, which the gate sets', { namespace: 'other' }, /selector sets "namespace", which the gate sets itself/],
    ['the version hash, which the gate sets', { rollouts_pod_template_hash: 'abc' }, /selector sets "rollouts_pod_template_hash"/],
  ])('%s is refused', (_, selector, message) => {
    expect(errorOf(() => queryOf(selector)).message).toMatch(message);
  });
});
