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
      ['interval 0', { port: 9090, interval: '0' }, /metrics\.interval "0" is not a positive Prometheus duration/],
      ['interval without a unit', { port: 9090, interval: '30' }, /is not a positive Prometheus duration/],
      ['interval empty', { port: 9090, interval: '' }, /is not a positive Prometheus duration/],
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

    test.each(['0s', '0m', '0ms', '0h0m0s', '0y0w0d', '0.0s', '0.5s', '-1s', '+1s', ' 30s', '30s ', '1s1m', '1m1m', '30S', '300000y'])(
      'non-positive, malformed or overlong interval %p', (interval) => {
        // GIVEN an interval that is no positive Prometheus duration WHEN constructed THEN it is refused with the fix
        expect(errorOf(() => workload({ port: 8080, metrics: { port: 9090, interval } })).message).toMatch(
          /^SecureDeployment shop\/web: metrics\.interval .* is not a positive Prometheus duration.*; use whole numbers with the units/);
      });

    test('portName "metrics" for the serving port while metrics use another port', () => {
      expect(errorOf(() => workload({ port: 8080, portName: 'metrics', metrics: { port: 9090 } })).message)
        .toMatch(/portName "metrics" names port 8080, and metrics are served on port 9090/);
    });
  });
});

describe('SecureDeployment metrics never publish one port twice (hostile: duplicate ports and names)', () => {
  test.each([
    ['metrics on the Service port of another container port', { port: 8080, servicePort: 80, metrics: { port: 80 } }, 80],
    ['a Service port on the metrics port', { port: 8080, servicePort: 9090, metrics: { port: 9090 } }, 9090],
  ])('%s is refused with the fix', (_, props, clash) => {
    // GIVEN a Service port and a metrics port of one number WHEN constructed THEN it is refused, naming both and the fix
    expect(errorOf(() => workload(props)).message).toBe(`SecureDeployment shop/web: metrics.port ${clash} is also servicePort, the Service's port for `
      + 'container port 8080, and a Service cannot publish one port number twice; set servicePort to 8080 (the container port), or serve metrics on '
      + 'the serving port (metrics.port: 8080)');
  });

  test.each([
    ['metrics on the serving port', { port: 8080, metrics: { port: 8080 } }],
    ['metrics on the serving port behind another Service port', { port: 8080, servicePort: 80, metrics: { port: 8080 } }],
    ['metrics on their own port', { port: 8080, servicePort: 80, metrics: { port: 9090 } }],
    ['metrics on the Service port number without a Service', { port: 8080, servicePort: 80, exposeService: false, metrics: { port: 80 } }],
    ['portName "metrics" on the serving port that serves metrics', { port: 8080, portName: 'metrics', metrics: { port: 8080 } }],
    ['a worker', { liveness: HealthProbe.exec(['true']), metrics: { port: 9090 } }],
  ])('%s: every port number and name once per Service, container and NetworkPolicy rule', (_, props) => {
    // GIVEN metrics beside the serving port
    const { manifests, only } = workload(props as Partial<SecureDeploymentProps>);
    // THEN no list of ports repeats a number/protocol or a name
    const portLists = [
      only('Service')?.spec.ports ?? [],
      only('Deployment')!.spec.template.spec.containers[0].ports ?? [],
      ...only('NetworkPolicy')!.spec.ingress.map((rule: any) => rule.ports),
    ];
    for (const ports of portLists) {
      const numbers = ports.map((p: any) => `${p.port ?? p.containerPort}/${p.protocol}`);
      const names = ports.map((p: any) => p.name).filter(Boolean);
      expect(new Set(numbers).size).toBe(numbers.length);
      expect(new Set(names).size).toBe(names.length);
    }
    // AND the monitor's endpoint names a port the Service or the container has
    const monitor = only('ServiceMonitor') ?? only('PodMonitor')!;
    const endpoint = (monitor.spec.endpoints ?? monitor.spec.podMetricsEndpoints)[0];
    expect(portLists[only('Service') ? 0 : 1].map((p: any) => p.name)).toContain(endpoint.port);
    expect(manifests.length).toBeGreaterThan(0);
  });
});
