import { HealthProbe, Policy, SecureDeployment, SecureDeploymentProps } from '../../../src';
import { FAKE } from '../../support/fake-secrets';
import { errorOf, Manifest, synth, testChart } from '../../support/helpers';

function workload(props: Partial<SecureDeploymentProps>) {
  const { app, chart } = testChart();
  new SecureDeployment(chart, 'web', { name: 'web', image: 'ghcr.io/acme/web:1.4.2', ...props });
  const manifests = synth(chart);
  const only = (kind: string): Manifest | undefined => manifests.find((m) => m.kind === kind);
  return { app, manifests, only };
}

const PROMETHEUS_RULE = {
  from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
  ports: [{ protocol: 'TCP', port: 9090 }],
};

describe('SecureDeployment metrics', () => {
  test('a server with a metrics port of its own: a named port, a ServiceMonitor of exactly this workload, Prometheus let in on that port only', () => {
    // GIVEN a server on 8080 with metrics on 9090
    const { app, only } = workload({ port: 8080, readiness: HealthProbe.http('/healthz'), metrics: { port: 9090 } });
    // THEN the container and the Service name the metrics port
    expect(only('Deployment')!.spec.template.spec.containers[0].ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
    expect(only('Service')!.spec.ports[1]).toEqual({ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' });
    // AND the ServiceMonitor selects this workload's Service in its namespace, on that port
    const monitor = only('ServiceMonitor')!;
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata).toMatchObject({ name: 'web', namespace: 'shop', labels: { 'release': 'kube-prometheus-stack', 'app.kubernetes.io/instance': 'web' } });
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
      namespaceSelector: { matchNames: ['shop'] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }],
    });
    // AND the NetworkPolicy lets the Prometheus pods reach 9090 and nothing else, beside the serving port's rule
    const ingress = only('NetworkPolicy')!.spec.ingress;
    expect(ingress).toHaveLength(2);
    expect(ingress[1]).toEqual(PROMETHEUS_RULE);
    expect(ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    // AND the packs find nothing
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('metrics on the serving port reuse its name; no second port', () => {
    const { only } = workload({ port: 8080, readiness: HealthProbe.http('/healthz'), metrics: { port: 8080, path: '/actuator/prometheus', interval: '1m' } });
    expect(only('Deployment')!.spec.template.spec.containers[0].ports).toHaveLength(1);
    expect(only('Service')!.spec.ports).toHaveLength(1);
    expect(only('ServiceMonitor')!.spec.endpoints).toEqual([{ port: 'http', path: '/actuator/prometheus', interval: '1m', scheme: 'http' }]);
  });

  test('a worker gets a PodMonitor', () => {
    const { only, app } = workload({ liveness: HealthProbe.exec(['/app/health']), metrics: { port: 9100 } });
    expect(only('ServiceMonitor')).toBeUndefined();
    expect(only('PodMonitor')!.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }]);
    expect(only('NetworkPolicy')!.spec.ingress).toEqual([{ ...PROMETHEUS_RULE, ports: [{ protocol: 'TCP', port: 9100 }] }]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('another Prometheus: its namespace, pod labels and monitor labels', () => {
    const { only } = workload({
      port: 8080,
      metrics: { port: 9090, prometheusNamespace: 'observability', prometheusPodLabels: { app: 'prometheus', team: 'sre' }, monitorLabels: { prometheus: 'apps' } },
    });
    expect(only('NetworkPolicy')!.spec.ingress[1].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } }, podSelector: { matchLabels: { app: 'prometheus', team: 'sre' } } },
    ]);
    expect(only('ServiceMonitor')!.metadata.labels).toMatchObject({ prometheus: 'apps' });
    expect(only('ServiceMonitor')!.metadata.labels.release).toBeUndefined();
  });

  describe('hostile metrics options are refused with the path and the fix', () => {
    test.each([
      ['port 0', { port: 0 }, /metrics\.port/],
      ['port 70000', { port: 70000 }, /metrics\.port/],
      ['port as a string', { port: '9090' }, /metrics\.port/],
      ['a relative path', { port: 9090, path: 'metrics' }, /metrics\.path "metrics" is not an absolute HTTP path/],
      ['a query', { port: 9090, path: '/metrics?format=prometheus' }, /not an absolute HTTP path without query/],
      ['a token in the path', { port: 9090, path: `/metrics/${FAKE.github}` }, /metrics\.path carries/],
      ['interval 0', { port: 9090, interval: '0' }, /metrics\.interval "0" is not a Prometheus duration above zero/],
      ['interval without a unit', { port: 9090, interval: '30' }, /is not a Prometheus duration/],
      ['interval empty', { port: 9090, interval: '' }, /is not a Prometheus duration/],
      ['no Prometheus pod labels', { port: 9090, prometheusPodLabels: {} }, /every pod of the Prometheus namespace/],
      ['a bad Prometheus namespace', { port: 9090, prometheusNamespace: 'Monitoring' }, /metrics\.prometheusNamespace/],
      ['a bad monitor label', { port: 9090, monitorLabels: { 'bad key!': 'x' } }, /bad key!/],
      ['not an object', 9090, /metrics/],
    ])('%s', (_, metrics, message) => {
      const error = errorOf(() => workload({ port: 8080, metrics: metrics as any }));
      expect(error.message).toMatch(/^SecureDeployment shop\/web: /);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain(FAKE.github);
    });

    test('portName "metrics" for the serving port while metrics use another port', () => {
      expect(errorOf(() => workload({ port: 8080, portName: 'metrics', metrics: { port: 9090 } })).message)
        .toMatch(/portName "metrics" names port 8080, and metrics are served on port 9090/);
    });
  });
});
