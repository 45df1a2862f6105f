import { Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  DefaultDenyNamespace, EgressAllowlist, EgressMode, EgressTarget, ExternalAddress, ExternalMongoService, HardenedApp, HealthProbe, IPriorityClass,
  NamespaceMesh, PriorityClass, SecureDeployment,
} from '../../src';

/** What differs between environments: the namespace, the database's address and name, the scale. */
export interface ShopChartProps extends ChartProps {
  readonly namespace: string;
  readonly mongoAddress: string;
  readonly database: string;
  readonly maxReplicas: number;
  /** How the host-name egress is enforced: the Istio mesh, or Cilium's FQDN policies. */
  readonly egressMode: EgressMode;
  /** The PriorityClass of the web tier (cluster-wide: defined once, by the platform chart). */
  readonly priorityClass: IPriorityClass;
}

/**
 * A shop in its own default-deny namespace. Its web tier reaches the database outside the cluster through
 * the stable name `mongo` (only its address differs between environments) and a payment API by host name
 * (enforced by the mesh); nothing else.
 */
export class ShopChart extends Chart {
  constructor(scope: Construct, id: string, props: ShopChartProps) {
    super(scope, id, props);
    // In Istio mode the namespace is also a mesh: mTLS STRICT, and an AuthorizationPolicy per workload from the same peers.
    const namespace = new DefaultDenyNamespace(this, 'namespace', {
      name: props.namespace, quota: { pods: 30 }, mesh: props.egressMode === EgressMode.ISTIO ? NamespaceMesh.istioSidecar() : undefined,
    });

    const mongo = new ExternalMongoService(this, 'mongo', {
      namespace,
      address: ExternalAddress.ip(props.mongoAddress),
      database: props.database,
      // Managed outside the app (e.g. External Secrets): only its name is referenced, no value is written.
      credentials: kplus.Secret.fromSecretName(this, 'mongo-credentials', 'mongo-credentials'),
    });

    const web = new SecureDeployment(this, 'web', {
      name: 'web',
      namespace,
      image: 'ghcr.io/acme/shop-web:2.3.1',
      port: 8080,
      readiness: HealthProbe.http('/healthz'),
      autoscaling: { minReplicas: 2, maxReplicas: props.maxReplicas },
      env: { ...mongo.env('MONGO'), LOG_FORMAT: kplus.EnvValue.fromValue('json') },
      priorityClass: props.priorityClass,
    });
    mongo.allowFrom(web);

    // The payment provider is a host name: only the mesh (a ServiceEntry and a REGISTRY_ONLY Sidecar) or Cilium
    // (toFQDNs, learnt from the lookups its DNS proxy sees) can enforce it.
    new EgressAllowlist(this, 'web-to-payments', {
      name: 'web-payments',
      workload: web,
      mode: props.egressMode,
      allow: [EgressTarget.host('api.payments.example.com', { tcp: [443] })],
    });
  }
}

export const app = new HardenedApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
// Cluster-wide objects the environments share, defined once.
const platform = new Chart(app, 'shop-platform');
const priorityClass = new PriorityClass(platform, 'priority', { name: 'shop', value: 100000, description: 'The shop web tier, scheduled ahead of batch work' });
new ShopChart(app, 'shop-dev', { namespace: 'shop-dev', mongoAddress: '10.200.0.2', database: 'dev', maxReplicas: 3, egressMode: EgressMode.ISTIO, priorityClass });
new ShopChart(app, 'shop-prod', { namespace: 'shop-prod', mongoAddress: '10.100.0.9', database: 'prod', maxReplicas: 10, egressMode: EgressMode.ISTIO, priorityClass });
// A cluster that runs Cilium instead of a mesh.
new ShopChart(app, 'shop-edge', { namespace: 'shop-edge', mongoAddress: '10.150.0.4', database: 'edge', maxReplicas: 3, egressMode: EgressMode.CILIUM, priorityClass });
app.synth();
