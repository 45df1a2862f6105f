import { MetricsOptions } from './metrics-options';
import { inputError, quote } from '../../core/errors';
import { namespaceNamed } from '../../core/labels';
import { validateDnsLabel, validateDnsSubdomain, validateLabels } from '../../core/names';
import { checkOptionalString, checkPropsObject, checkStringMap, PropKeys } from '../../core/prop-checks';
import { validatePort } from '../../k8s/ports';
import { validatePrometheusDuration } from '../../k8s/prometheus-duration';
import { findCredentials, describeCredential } from '../../parsers/credentials';

/** The checked metrics options. */
export interface ResolvedMetrics {
  readonly port: number;
  readonly path: string;
  readonly interval: string;
  readonly prometheusNamespace: string;
  readonly prometheusPodLabels: { [key: string]: string };
  readonly monitorLabels: { [key: string]: string };
  readonly prometheusServiceAccount?: string;
}

const METRICS_OPTIONS: PropKeys<MetricsOptions> = {
  port: true, path: true, interval: true, prometheusNamespace: true, prometheusPodLabels: true, monitorLabels: true, prometheusServiceAccount: true,
};
const DEFAULT_PATH = '/metrics';
const DEFAULT_INTERVAL = '30s';
const DEFAULT_PROMETHEUS_NAMESPACE = 'monitoring';
const DEFAULT_PROMETHEUS_POD_LABELS = { 'app.kubernetes.io/name': 'prometheus' };
const DEFAULT_MONITOR_LABELS = { release: 'kube-prometheus-stack' };
/** The name of a metrics port that is not the workload's serving port. */
export const METRICS_PORT_NAME = 'metrics';
/** An HTTP path: absolute, printable, no query or fragment. */
const HTTP_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/** Checks the metrics options (JavaScript callers included); throws with the fix. */
export function resolveMetrics(where: string, options: MetricsOptions): ResolvedMetrics {
  checkPropsObject(where, options, METRICS_OPTIONS, 'metrics');
  const port = validatePort(where, 'metrics.port', options.port);
  const path = checkOptionalString(where, 'metrics.path', options.path) ?? DEFAULT_PATH;
  const credential = findCredentials(path)[0];
  if (credential) {
    throw inputError(where, `metrics.path carries ${describeCredential(credential)}`, 'serve metrics without a token in the path; scrapers cannot keep it secret');
  }
  if (!HTTP_PATH.test(path)) {
    throw inputError(where, `metrics.path ${quote(path)} is not an absolute HTTP path without query or fragment`, 'use e.g. "/metrics"');
  }
  const interval = validatePrometheusDuration(where, 'metrics.interval', checkOptionalString(where, 'metrics.interval', options.interval) ?? DEFAULT_INTERVAL);
  const prometheusNamespace = validateDnsLabel(where, 'metrics.prometheusNamespace',
    checkOptionalString(where, 'metrics.prometheusNamespace', options.prometheusNamespace) ?? DEFAULT_PROMETHEUS_NAMESPACE);
  const prometheusPodLabels = validateLabels(where, options.prometheusPodLabels === undefined ? { ...DEFAULT_PROMETHEUS_POD_LABELS }
    : checkStringMap(where, 'metrics.prometheusPodLabels', options.prometheusPodLabels));
  if (Object.keys(prometheusPodLabels).length === 0) {
    throw inputError(where, 'metrics.prometheusPodLabels is empty, which would let every pod of the Prometheus namespace scrape', 'name the labels of the Prometheus pods');
  }
  const monitorLabels = validateLabels(where, options.monitorLabels === undefined ? { ...DEFAULT_MONITOR_LABELS }
    : checkStringMap(where, 'metrics.monitorLabels', options.monitorLabels));
  const account = checkOptionalString(where, 'metrics.prometheusServiceAccount', options.prometheusServiceAccount);
  const prometheusServiceAccount = account === undefined ? undefined : validateDnsSubdomain(where, 'metrics.prometheusServiceAccount', account);
  return { port, path, interval, prometheusNamespace, prometheusPodLabels, monitorLabels, prometheusServiceAccount };
}

/** The NetworkPolicy ingress rule: the Prometheus pods, to the metrics port, nothing else. */
export function metricsIngressRule(metrics: ResolvedMetrics): any {
  return {
    from: [{ namespaceSelector: namespaceNamed(metrics.prometheusNamespace), podSelector: { matchLabels: { ...metrics.prometheusPodLabels } } }],
    ports: [{ protocol: 'TCP', port: metrics.port }],
  };
}
