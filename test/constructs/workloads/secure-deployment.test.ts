import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HealthProbe, SecureDeployment, SecureDeploymentProps } from '../../../src';
import { only, podSpec, schemaFindings, synth, testChart } from '../../support/helpers';

const IMAGE = 'ghcr.io/acme/web:1.4.2';

function deploy(props: Partial<SecureDeploymentProps> = {}, id: string = 'web') {
  const { chart } = testChart();
  const workload = new SecureDeployment(chart, id, { image: IMAGE, port: 8080, name: 'web', ...props });
  return { chart, workload, manifests: synth(chart) };
}

describe('SecureDeployment defaults', () => {
  // GIVEN an image and a port, WHEN synthesized
  const { manifests } = deploy({ name: undefined });

  test('emits the whole hardened set (snapshot)', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('emits ServiceAccount, Deployment, Service, PDB and NetworkPolicy, and no autoscaler', () => {
    expect(manifests.map((m) => m.kind)).toEqual(['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']);
  });

  test('every object is strictly schema-valid', () => {
    expect(schemaFindings(manifests)).toEqual([]);
  });

  const deployment = only(manifests, 'Deployment');
  const spec = podSpec(deployment);
  const container = spec.containers[0];

  test('pod: non-root ids, seccomp, no token, no service links', () => {
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.enableServiceLinks).toBe(false);
  });

  test('container: read-only root with /tmp, no escalation, ALL dropped, resources, probes', () => {
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.volumeMounts).toEqual([{ name: 'scratch-tmp', mountPath: '/tmp' }]);
    expect(container.resources.requests).toEqual({ 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' });
    expect(container.resources.limits).toEqual({ 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' });
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(container.livenessProbe).toMatchObject({ tcpSocket: { port: 8080 }, initialDelaySeconds: 10 });
  });

  test('deployment: 2 replicas, surge-only rolling update, spread over nodes and zones', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(deployment.spec.revisionHistoryLimit).toBe(5);
    expect(spec.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
  });

  test('names and labels: instance equals the object name, part-of is the chart', () => {
    expect(deployment.metadata.name).toBe('web'); // the construct id: readable, unique in its namespace
    expect(deployment.metadata.labels['app.kubernetes.io/instance']).toBe(deployment.metadata.name);
    expect(deployment.metadata.labels['app.kubernetes.io/part-of']).toBe('shop');
    expect(deployment.metadata.labels['app.kubernetes.io/version']).toBe('1.4.2');
  });

  test('a dedicated service account without token automount', () => {
    const sa = only(manifests, 'ServiceAccount');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe(sa.metadata.name);
  });

  test('a ClusterIP service to the named port', () => {
    expect(only(manifests, 'Service').spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }] });
  });

  test('a PDB that lets one pod go at a time', () => {
    expect(only(manifests, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('a network policy: ingress on the port from the namespace, egress to DNS only', () => {
    const np = only(manifests, 'NetworkPolicy').spec;
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.ingress).toEqual([{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(np.egress).toHaveLength(1);
    expect(np.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    expect(np.egress[0].to[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'kube-system' });
  });
});

describe('SecureDeployment options', () => {
  test('autoscaling: an HPA, no fixed replicas', () => {
    const { manifests } = deploy({ autoscaling: { minReplicas: 3, maxReplicas: 10, memoryTargetPercent: 70 } });
    expect(only(manifests, 'Deployment').spec.replicas).toBeUndefined();
    const hpa = only(manifests, 'HorizontalPodAutoscaler');
    expect(hpa).toMatchSnapshot();
    expect(hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([['cpu', 80], ['memory', 70]]);
    expect(schemaFindings(manifests)).toEqual([]);
  });

  test('a worker: no Service, no ingress, its exec liveness probe also gates readiness', () => {
    const { manifests } = deploy({ port: undefined, liveness: HealthProbe.exec(['/bin/healthy']) });
    expect(manifests.map((m) => m.kind)).not.toContain('Service');
    const container = podSpec(only(manifests, 'Deployment')).containers[0];
    expect(container.ports).toBeUndefined();
    expect(container.livenessProbe.exec.command).toEqual(['/bin/healthy']);
    expect(container.readinessProbe.exec.command).toEqual(['/bin/healthy']);
    expect(only(manifests, 'NetworkPolicy').spec.ingress).toEqual([]);
    expect(only(manifests, 'Deployment').metadata.labels['app.kubernetes.io/component']).toBe('worker');
  });

  test('HTTP and gRPC probes', () => {
    const { manifests } = deploy({
      readiness: HealthProbe.http('/ready', { period: Duration.seconds(5) }),
      liveness: HealthProbe.grpc({ port: 9090, service: 'health' }),
    });
    const container = podSpec(only(manifests, 'Deployment')).containers[0];
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, periodSeconds: 5 });
    expect(container.livenessProbe.grpc).toEqual({ port: 9090, service: 'health' });
    expect(schemaFindings(manifests)).toEqual([]);
  });

  test('env: literals, secret and config-map references', () => {
    const { chart } = testChart();
    const secret = kplus.Secret.fromSecretName(chart, 'creds', 'web-credentials');
    const config = kplus.ConfigMap.fromConfigMapName(chart, 'cfg', 'web-config');
    new SecureDeployment(chart, 'web', {
      image: IMAGE,
      port: 8080,
      name: 'web',
      env: {
        LOG_LEVEL: kplus.EnvValue.fromValue('info'),
        DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }),
        FEATURE: kplus.EnvValue.fromConfigMap(config, 'feature'),
      },
    });
    const env = podSpec(only(synth(chart), 'Deployment')).containers[0].env;
    expect(env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'web-credentials', key: 'password' } } },
      { name: 'FEATURE', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'feature' } } },
    ]);
  });

  test('config files: mounted read-only, with a checksum that follows the data', () => {
    const checksum = (value: string) => {
      const { chart } = testChart();
      const configMap = new kplus.ConfigMap(chart, 'config', { data: { 'app.yaml': value } });
      new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web', config: { configMap, mountPath: '/etc/app' } });
      const deployment = only(synth(chart), 'Deployment');
      expect(podSpec(deployment).containers[0].volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/app', readOnly: true });
      return deployment.spec.template.metadata.annotations['checksum/config'];
    };
    expect(checksum('a: 1')).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum('a: 1')).toBe(checksum('a: 1'));
    expect(checksum('a: 2')).not.toBe(checksum('a: 1'));
  });

  test('ids, writable paths, pull secrets, priority, command, resources, labels', () => {
    const { chart } = testChart();
    new SecureDeployment(chart, 'web', {
      image: IMAGE,
      port: 8080,
      name: 'web',
      user: 1000,
      group: 2000,
      writablePaths: ['/var/cache/nginx'],
      imagePullSecrets: [kplus.Secret.fromSecretName(chart, 'pull', 'registry')],
      priorityClassName: 'business-critical',
      command: ['/app'],
      args: ['--serve'],
      resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) } },
      labels: { 'example.com/team': 'storefront' },
      replicas: 4,
    });
    const deployment = only(synth(chart), 'Deployment');
    const spec = podSpec(deployment);
    expect(spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000 });
    expect(spec.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/var/cache/nginx']);
    expect(spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(spec.priorityClassName).toBe('business-critical');
    expect(spec.containers[0]).toMatchObject({ command: ['/app'], args: ['--serve'] });
    expect(spec.containers[0].resources.requests.cpu).toBe('250m');
    expect(deployment.metadata.labels['example.com/team']).toBe('storefront');
    expect(deployment.spec.replicas).toBe(4);
  });

  test('ingress only from declared peers', () => {
    const { chart } = testChart();
    const frontend = new SecureDeployment(chart, 'frontend', { image: IMAGE, port: 3000, name: 'frontend' });
    new SecureDeployment(chart, 'api', {
      image: IMAGE,
      port: 8080,
      name: 'api',
      allowIngressFrom: [frontend, kplus.Pods.select(chart, 'monitoring', { labels: { app: 'prometheus' }, namespaces: kplus.Namespaces.select(chart, 'mon', { names: ['monitoring'] }) })],
    });
    const api = synth(chart).find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'api')!;
    expect(api.spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'frontend', 'app.kubernetes.io/instance': 'frontend' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } },
      { podSelector: { matchLabels: { app: 'prometheus' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
  });

  test('an empty allowIngressFrom admits nobody, never everybody', () => {
    // GIVEN a served workload whose ingress peers are an empty list
    const { chart } = testChart();
    new SecureDeployment(chart, 'api', { image: IMAGE, port: 8080, name: 'api', allowIngressFrom: [] });
    // WHEN synthesized THEN its policy isolates ingress with no rule at all (an empty "from" would admit every source)
    const policy = only(synth(chart), 'NetworkPolicy');
    expect(policy.spec.policyTypes).toContain('Ingress');
    expect(policy.spec.ingress).toEqual([]);
  });

  test('addEgressRule opens more egress', () => {
    const { chart, workload } = deploy();
    workload.addEgressRule({ to: [{ ipBlock: { cidr: '10.200.0.2/32' } }] });
    expect(only(synth(chart), 'NetworkPolicy').spec.egress).toHaveLength(2);
  });

  test('usable as a cdk8s-plus network policy peer', () => {
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web' });
    expect(web.toPodSelector()).toBe(web);
    expect(web.toNetworkPolicyPeerConfig().podSelector?.namespaces?.names).toEqual(['shop']);
  });
});

describe('SecureDeployment bad input', () => {
  const cases: Array<[string, Partial<SecureDeploymentProps>, RegExp]> = [
    ['untagged image', { image: 'nginx' }, /SecureDeployment shop\/web: image "nginx" has no tag.*pin a version or digest/],
    ['latest image', { image: 'nginx:latest' }, /SecureDeployment shop\/web: image "nginx:latest" uses the mutable tag "latest"/],
    ['port 0', { port: 0 }, /SecureDeployment shop\/web: port 0 is not a valid port; use an integer from 1 to 65535/],
    ['port 70000', { port: 70000 }, /port 70000 is not a valid port/],
    ['invalid name', { name: 'Web_App' }, /SecureDeployment shop\/web: name "Web_App" is not a valid DNS-1123 label.*"web-app"/],
    ['autoscaling min > max', { autoscaling: { minReplicas: 5, maxReplicas: 3 } }, /autoscaling.maxReplicas 3 is below minReplicas 5; set maxReplicas to at least 5/],
    ['cpu target 0', { autoscaling: { maxReplicas: 3, cpuTargetPercent: 0 } }, /autoscaling.cpuTargetPercent 0 is not a whole number from 1 to 100/],
    ['cpu target 150', { autoscaling: { maxReplicas: 3, cpuTargetPercent: 150 } }, /autoscaling.cpuTargetPercent 150 is not a whole number from 1 to 100/],
    ['literal password', { env: { DB_PASSWORD: kplus.EnvValue.fromValue('hunter2') } }, /environment variable DB_PASSWORD holds a literal password at offset 0, .*EnvValue.fromSecretValue/],
    ['literal API key', { env: { STRIPE_API_KEY: kplus.EnvValue.fromValue('sk_live_x') } }, /STRIPE_API_KEY holds a literal API key/],
    ['URL with a password', { env: { MONGO_URL: kplus.EnvValue.fromValue('mongodb://app:pw@mongo:27017/db') } }, /MONGO_URL holds a password in URL at offset 14/],
    ['a token in an innocently named variable', { env: { SETTINGS: kplus.EnvValue.fromValue('ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8') } },
      /environment variable SETTINGS holds a GitHub token at offset 0/],
    ['user 0', { user: 0 }, /SecureDeployment shop\/web: user 0 is root/],
    ['worker without liveness', { port: undefined }, /a worker \(no port\) has no liveness probe.*HealthProbe.exec/],
    ['replicas 0', { replicas: 0 }, /replicas 0 is not a whole number from 1 to 2147483647/],
    ['bad label', { labels: { team: 'a b' } }, /label "team" has the invalid value "a b"/],
  ];

  test.each(cases)('%s', (_, props, message) => {
    expect(() => deploy(props)).toThrow(message);
  });
});

describe('SecureDeployment literal credentials in env', () => {
  test('a refused credential is never echoed in the error', () => {
    // GIVEN a password literal WHEN refused THEN the error names the variable and kind, not the value
    let message = '';
    try {
      deploy({ env: { DB_PASSWORD: kplus.EnvValue.fromValue('correct-horse-battery') } });
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/DB_PASSWORD holds a literal password/);
    expect(message).not.toContain('correct-horse-battery');
  });

  test('paths to mounted secret files and settings of credential-like names are not credentials', () => {
    // GIVEN values that only look like credentials by name WHEN deployed THEN they are accepted as written
    const { chart } = deploy({
      env: {
        DB_PASSWORD_FILE: kplus.EnvValue.fromValue('/run/secrets/db-password'),
        TOKEN_TTL: kplus.EnvValue.fromValue('3600'),
      },
    });
    const env = only(synth(chart), 'Deployment').spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([{ name: 'DB_PASSWORD_FILE', value: '/run/secrets/db-password' }, { name: 'TOKEN_TTL', value: '3600' }]));
  });
});
