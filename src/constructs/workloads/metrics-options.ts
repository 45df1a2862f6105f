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
  /**
   * The ServiceAccount of the Prometheus pods (in `prometheusNamespace`) when Prometheus is in the mesh and scrapes over
   * mTLS (Istio's documented option of a Prometheus with a sidecar that writes its certificates). In a namespace with a
   * mesh, the metrics port then stays STRICT and the AuthorizationPolicy admits that principal alone on it.
   * @default - Prometheus is outside the mesh: in a namespace with a mesh, the metrics port (which must not be the
   * serving port) alone accepts plaintext, through a PeerAuthentication port exception with the workload's selector, and
   * the AuthorizationPolicy admits only sources without a mesh identity on it (the NetworkPolicy narrows them to the
   * Prometheus pods)
   */
  readonly prometheusServiceAccount?: string;
}
