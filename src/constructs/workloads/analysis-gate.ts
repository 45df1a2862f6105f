import { Duration } from 'cdk8s';
import { GateContext, POD_TEMPLATE_HASH_ARG, RenderedGate } from './rollout-plan';
import { inputError, quote } from '../../core/errors';
import { validateDnsLabel } from '../../core/names';
import { checkInteger, checkOptionalString, checkPropsObject, checkStringMap, PropKeys } from '../../core/prop-checks';
import { equalityMatcher, validateLabelName, validateMetricName, validatePrometheusAddress } from '../../k8s/promql';

/** The pod label `rollouts-pod-template-hash` as a series label (the Prometheus Operator turns - into _). */
const POD_TEMPLATE_HASH_SERIES_LABEL = 'rollouts_pod_template_hash';

/** What every Prometheus gate takes. */
export interface PrometheusGateOptions {
  /**
   * The Prometheus HTTP API the Argo Rollouts controller queries, e.g. `http://prometheus-operated.monitoring:9090`:
   * an http(s) URL without credentials, query or fragment, never a cloud metadata or loopback address.
   */
  readonly address: string;
  /**
   * More label matchers of the measured series, written as equality matchers with their values escaped
   * (e.g. `{ job: 'web', handler: '/api' }`). The gate always measures only the pods of the new version
   * (`rollouts_pod_template_hash`, copied onto every series by the Rollout's PodMonitor) in the Rollout's namespace.
   * @default - no more matchers
   */
  readonly selector?: { [label: string]: string };
  /**
   * The name of the gate: its AnalysisTemplate is `<rollout>-<name>`, its metric `<name>`.
   * @default "success-rate" or "latency"
   */
  readonly name?: string;
  /**
   * The window each measurement looks back over (the PromQL range).
   * @default Duration.minutes(5)
   */
  readonly window?: Duration;
  /**
   * The time between measurements.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * The number of measurements; the gate passes when all are taken and at most `failureLimit` failed.
   * @default 5
   */
  readonly count?: number;
  /**
   * Failed measurements tolerated; one more fails the gate and Argo Rollouts aborts the release.
   * @default 0
   */
  readonly failureLimit?: number;
  /**
   * Measurements in a row that may end in an error (Prometheus unreachable, a query that does not evaluate) before
   * the gate fails.
   * @default 4 (Argo Rollouts' default)
   */
  readonly consecutiveErrorLimit?: number;
}

/** Options of {@link AnalysisGate.prometheusSuccessRate}. */
export interface PrometheusSuccessRateOptions extends PrometheusGateOptions {
  /** The lowest share of successful requests that passes, above 0 and at most 1 (e.g. 0.99). */
  readonly minimum: number;
  /**
   * The request counter.
   * @default "http_requests_total"
   */
  readonly requestsMetric?: string;
  /**
   * The label of the counter holding the HTTP status code; codes 5xx count as failures.
   * @default "code"
   */
  readonly statusLabel?: string;
}

/** Options of {@link AnalysisGate.prometheusLatency}. */
export interface PrometheusLatencyOptions extends PrometheusGateOptions {
  /** The highest latency that passes at the quantile, in whole milliseconds (e.g. Duration.millis(500)). */
  readonly maximum: Duration;
  /**
   * The quantile measured, above 0 and below 1.
   * @default 0.99
   */
  readonly quantile?: number;
  /**
   * The histogram of request durations in seconds (its `_bucket` series).
   * @default "http_request_duration_seconds"
   */
  readonly histogramMetric?: string;
}

const GATE_KEYS: PropKeys<PrometheusGateOptions> = {
  address: true, selector: true, name: true, window: true, interval: true, count: true, failureLimit: true, consecutiveErrorLimit: true,
};
const SUCCESS_RATE_KEYS: PropKeys<PrometheusSuccessRateOptions> = { ...GATE_KEYS, minimum: true, requestsMetric: true, statusLabel: true };
const LATENCY_KEYS: PropKeys<PrometheusLatencyOptions> = { ...GATE_KEYS, maximum: true, quantile: true, histogramMetric: true };


/**
 * A metric gate on a release, rendered as an Argo Rollouts AnalysisTemplate: a Prometheus query over the pods of
 * the new version and the condition its value must meet. An empty result (no traffic, no series) and NaN (0/0) fail
 * the measurement; they never pass it.
 */
export class AnalysisGate {
  /**
   * The share of requests of the new version that did not end in a 5xx status, over `window`, at least `minimum`:
   * `sum(rate(<requests>{<selector>,<status>!~"5.."}[<window>])) / sum(rate(<requests>{<selector>}[<window>]))`.
   * No requests in the window give NaN, which fails: a release that nobody calls is not promoted by this gate.
   */
  public static prometheusSuccessRate(options: PrometheusSuccessRateOptions): AnalysisGate {
    return new AnalysisGate('success-rate', options, SUCCESS_RATE_KEYS, (where, context, common) => {
      const given = options;
      const minimum = checkFraction(where, 'minimum', given.minimum, true);
      const metric = validateMetricName(where, 'AnalysisGate requestsMetric', given.requestsMetric ?? 'http_requests_total');
      const status = validateLabelName(where, 'AnalysisGate statusLabel', given.statusLabel ?? 'code');
      const selector = matchers(where, context, given.selector);
      const range = `[${common.window}]`;
      const query = `sum(rate(${metric}{${[...selector, `${status}!~"5.."`].join(',')}}${range})) / sum(rate(${metric}{${selector.join(',')}}${range}))`;
      return { query, condition: `result[0] >= ${minimum}` };
    });
  }

  /**
   * The `quantile` of request latency of the new version over `window`, from a Prometheus histogram, at most
   * `maximum`: `histogram_quantile(q, sum by (le) (rate(<histogram>_bucket{<selector>}[<window>])))`, in seconds.
   * No requests give NaN, and a quantile above the last bucket +Inf; both fail.
   */
  public static prometheusLatency(options: PrometheusLatencyOptions): AnalysisGate {
    return new AnalysisGate('latency', options, LATENCY_KEYS, (where, context, common) => {
      const given = options;
      const quantile = checkFraction(where, 'quantile', given.quantile ?? 0.99, false);
      const millis = wholeMillis(where, 'maximum', given.maximum);
      const metric = validateMetricName(where, 'AnalysisGate histogramMetric', given.histogramMetric ?? 'http_request_duration_seconds');
      const selector = matchers(where, context, given.selector);
      const query = `histogram_quantile(${quantile}, sum by (le) (rate(${metric}_bucket{${selector.join(',')}}[${common.window}])))`;
      return { query, condition: `result[0] <= ${millis / 1000}` };
    });
  }

  private constructor(
    private readonly defaultName: string,
    private readonly options: PrometheusGateOptions,
    private readonly keys: PropKeys<any>,
    private readonly measure: (where: string, context: GateContext, common: { window: string }) => { query: string; condition: string },
  ) {}

  /**
   * The gate's name (its AnalysisTemplate is `<rollout>-<name>`).
   * @internal
   */
  public _name(where: string): string {
    const given = checkOptionalString(where, 'AnalysisGate name', (this.options ?? {}).name);
    return given === undefined ? this.defaultName : validateDnsLabel(where, 'AnalysisGate name', given);
  }

  /**
   * The AnalysisTemplate spec, checked (errors name the Rollout).
   * @internal
   */
  public _render(context: GateContext): RenderedGate {
    const { where } = context;
    const options: PrometheusGateOptions = checkPropsObject(where, this.options, this.keys, `AnalysisGate ${quote(this.defaultName)} options`);
    const name = this._name(where);
    const address = validatePrometheusAddress(where, 'AnalysisGate address', options.address);
    const window = wholeSeconds(where, 'window', options.window ?? Duration.minutes(5));
    const interval = wholeSeconds(where, 'interval', options.interval ?? Duration.minutes(1));
    const count = checkInteger(where, `AnalysisGate ${quote(name)} count`, options.count ?? 5, { min: 1, max: 1000, hint: 'take 1 to 1000 measurements (e.g. 5)' });
    const failureLimit = checkInteger(where, `AnalysisGate ${quote(name)} failureLimit`, options.failureLimit ?? 0, { min: 0, max: 1000 });
    if (failureLimit >= count) {
      throw inputError(where, `AnalysisGate ${quote(name)} tolerates ${failureLimit} failed measurements of ${count}, so it could never fail`,
        `set failureLimit below count (${count}), or take more measurements`);
    }
    const consecutiveErrorLimit = checkInteger(where, `AnalysisGate ${quote(name)} consecutiveErrorLimit`, options.consecutiveErrorLimit ?? 4, { min: 0, max: 1000 });
    const { query, condition } = this.measure(where, context, { window });
    return {
      name,
      spec: {
        args: [{ name: POD_TEMPLATE_HASH_ARG }],
        metrics: [{
          name,
          interval,
          count,
          failureLimit,
          consecutiveErrorLimit,
          // Argo Rollouts' expr: an empty vector has no result[0] (an error, not a failure) and NaN compares false;
          // both are written out so that each is a failed measurement.
          successCondition: `len(result) > 0 && !isNaN(result[0]) && ${condition}`,
          provider: { prometheus: { address, query } },
        }],
      },
    };
  }
}

/** A share strictly between 0 and 1, or up to 1 inclusive. */
function checkFraction(where: string, what: string, value: unknown, oneAllowed: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1 || (!oneAllowed && value === 1)) {
    throw inputError(where, `AnalysisGate ${what} ${quote(value)} is not a number above 0 and ${oneAllowed ? 'at most' : 'below'} 1`,
      what === 'quantile' ? 'use e.g. 0.99 for the 99th percentile' : 'use the share of successful requests, e.g. 0.99 for 99 %');
  }
  return value;
}

/** The label matchers of a gate: the new version's pods, in the Rollout's namespace, and the user's. */
function matchers(where: string, context: GateContext, given: unknown): string[] {
  const selector = given === undefined ? {} : checkStringMap(where, 'AnalysisGate selector', given);
  const own = [
    ...(context.namespace ? [equalityMatcher(where, 'namespace', 'namespace', context.namespace)] : []),
    `${POD_TEMPLATE_HASH_SERIES_LABEL}="{{args.${POD_TEMPLATE_HASH_ARG}}}"`,
  ];
  const extra = Object.entries(selector).map(([label, value]) => {
    const matcher = equalityMatcher(where, 'AnalysisGate selector label', label, value);
    if (label === 'namespace' || label === POD_TEMPLATE_HASH_SERIES_LABEL) {
      throw inputError(where, `AnalysisGate selector sets ${quote(label)}, which the gate sets itself (the Rollout's namespace, the new version's pods)`, `leave ${label} out of selector`);
    }
    // Argo Rollouts substitutes {{…}} in the query before Prometheus reads it: a value may not reach an argument.
    if (value.includes('{{')) {
      throw inputError(where, `AnalysisGate selector value of ${quote(label)} holds "{{", which Argo Rollouts would read as a template argument`, 'match the label with a value without "{{"');
    }
    return matcher;
  });
  return [...own, ...extra];
}

/** A Prometheus duration of whole seconds (`300s` reads as `5m`). */
function wholeSeconds(where: string, what: string, value: unknown): string {
  const millis = durationMillis(where, what, value);
  if (millis <= 0 || millis % 1000 !== 0) {
    throw inputError(where, `AnalysisGate ${what} of ${millis} ms is not a positive whole number of seconds`, 'use e.g. Duration.seconds(30) or Duration.minutes(5)');
  }
  const seconds = millis / 1000;
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

function wholeMillis(where: string, what: string, value: unknown): number {
  const millis = durationMillis(where, what, value);
  if (millis <= 0 || !Number.isInteger(millis)) {
    throw inputError(where, `AnalysisGate ${what} of ${millis} ms is not a positive whole number of milliseconds`, 'use e.g. Duration.millis(500)');
  }
  return millis;
}

function durationMillis(where: string, what: string, value: unknown): number {
  if (!(value instanceof Duration)) {
    throw inputError(where, `AnalysisGate ${what} is not a Duration`, 'pass a cdk8s Duration, e.g. Duration.minutes(5)');
  }
  return value.toMilliseconds();
}

