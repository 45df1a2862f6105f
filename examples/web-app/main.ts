import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { DefaultDenyNamespace, EgressAllowlist, EgressMode, EgressTarget, HealthProbe, Policy, SecureDeployment } from '../../src';

/** A shop in its own default-deny namespace, whose web tier may reach only its database and a payment API. */
export class ShopChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const namespace = new DefaultDenyNamespace(this, 'namespace', { name: 'shop', quota: { pods: 30 } });

    const web = new SecureDeployment(this, 'web', {
      name: 'web',
      namespace,
      image: 'ghcr.io/acme/shop-web:2.3.1',
      port: 8080,
      readiness: HealthProbe.http('/healthz'),
      autoscaling: { minReplicas: 2, maxReplicas: 6 },
      priorityClassName: 'shop',
    });

    // The database sits outside the cluster, at a fixed address.
    new EgressAllowlist(this, 'web-to-db', { name: 'web-db', workload: web, allow: [EgressTarget.cidr('10.200.0.2/32', { tcp: [27017] })] });
    // The payment provider is a host name: only the mesh can enforce it.
    new EgressAllowlist(this, 'web-to-payments', {
      name: 'web-payments',
      workload: web,
      mode: EgressMode.ISTIO,
      allow: [EgressTarget.host('api.payments.example.com', { tcp: [443] })],
    });
  }
}

export const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
new ShopChart(app, 'shop', { namespace: 'shop' });
Policy.enforce(app);
app.synth();
