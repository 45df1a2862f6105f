// ServiceMonitor and PodMonitor (monitoring.coreos.com/v1), typed by hand for the fields the library emits, as
// src/kube types the core kinds. The tests and CI validate the output against ../shared/crds/prometheus-operator.

/** One scrape endpoint. */
export interface ScrapeEndpoint {
  /** The name of the Service port (ServiceMonitor) or container port (PodMonitor). */
  readonly port: string;
  readonly path: string;
  readonly interval: string;
  readonly scheme: string;
}

interface MonitorMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: { readonly [key: string]: string };
}

interface MonitorSelection {
  readonly selector: { readonly matchLabels: { readonly [key: string]: string } };
  readonly namespaceSelector?: { readonly matchNames: string[] };
  /** Labels of the pod copied onto every scraped series. */
  readonly podTargetLabels?: string[];
}

/** The props of a ServiceMonitor. */
export interface ServiceMonitorProps {
  readonly metadata: MonitorMetadata;
  readonly spec: MonitorSelection & { readonly endpoints: ScrapeEndpoint[] };
}

/** The props of a PodMonitor. */
export interface PodMonitorProps {
  readonly metadata: MonitorMetadata;
  readonly spec: MonitorSelection & { readonly podMetricsEndpoints: ScrapeEndpoint[] };
}
