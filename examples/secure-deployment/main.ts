import { Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HardenedApp, HealthProbe, PriorityClass, SecureDeployment } from '../../src';

/** A web service, an autoscaled API that only the web service may call, and a queue worker. */
export class StorefrontChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    // The storefront's pods name this class; defining it here makes the output complete (on an empty cluster, a
    // Deployment naming a missing class is admitted and then refused every pod).
    const priorityClass = new PriorityClass(this, 'priority', { name: 'storefront', value: 100000, description: 'Storefront pods, scheduled ahead of batch work' });

    const web = new SecureDeployment(this, 'web', {
      name: 'web',
      image: 'ghcr.io/acme/storefront-web:1.4.2',
      port: 8080,
      readiness: HealthProbe.http('/healthz'),
      priorityClass,
    });

    const config = new kplus.ConfigMap(this, 'api-config', { metadata: { name: 'api-config' }, data: { 'api.yaml': 'logLevel: info\n' } });
    const credentials = kplus.Secret.fromSecretName(this, 'api-credentials', 'api-credentials');
    new SecureDeployment(this, 'api', {
      name: 'api',
      image: 'ghcr.io/acme/storefront-api@sha256:0d1c2f6e3b5a4978a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4',
      port: 9000,
      autoscaling: { minReplicas: 2, maxReplicas: 10, cpuTargetPercent: 75 },
      // Scraped by kube-prometheus-stack: a ServiceMonitor, and Prometheus let in on 9090 only.
      metrics: { port: 9090 },
      allowIngressFrom: [web],
      config: { configMap: config, mountPath: '/etc/api' },
      env: {
        LOG_FORMAT: kplus.EnvValue.fromValue('json'),
        DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: credentials, key: 'password' }),
      },
      priorityClass,
    });

    const worker = new SecureDeployment(this, 'worker', {
      name: 'worker',
      image: 'ghcr.io/acme/storefront-worker:1.4.2',
      liveness: HealthProbe.exec(['/app/healthcheck']),
      writablePaths: ['/var/cache/worker'],
      priorityClass,
    });
    // The worker watches its feature flags through the API: a Role for exactly that ConfigMap, and a token for its pods only.
    const flags = new kplus.ConfigMap(this, 'worker-flags', { metadata: { name: 'worker-flags' }, data: { 'batch-size': '100' } });
    worker.allow({ verbs: ['get', 'watch'], resources: [flags] });
  }
}

export const app = new HardenedApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
new StorefrontChart(app, 'storefront', { namespace: 'storefront' });
app.synth();
