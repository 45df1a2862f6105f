/** Scraping a workload's metrics with the Prometheus Operator (e.g. kube-prometheus-stack). */
export interface MetricsOptions {
  /** The container port that serves the metrics (the workload's own port, or another). */
  readonly port: number;
  /**
   * The HTTP path of the metrics.
   * @default "/metrics"
   */
  readonly path?: string;
  /**
   * How often Prometheus scrapes, as a Prometheus duration (e.g. "30s", "1m").
   * @default "30s"
   */
  readonly interval?: string;
  /**
   * The namespace Prometheus runs in: the only namespace whose Prometheus pods may reach the metrics port.
   * @default "monitoring"
   */
  readonly prometheusNamespace?: string;
  /**
   * The labels of the Prometheus pods (kube-prometheus-stack labels them `app.kubernetes.io/name: prometheus`).
   * @default { "app.kubernetes.io/name": "prometheus" }
   */
  readonly prometheusPodLabels?: { [key: string]: string };
  /**
   * Labels of the ServiceMonitor or PodMonitor, for Prometheus's `serviceMonitorSelector`/`podMonitorSelector`
   * (kube-prometheus-stack selects `release: <its release name>` by default).
   * @default { release: "kube-prometheus-stack" }
   */
  readonly monitorLabels?: { [key: string]: string };
}
