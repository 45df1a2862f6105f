import { ApiObject, Chart, ChartProps, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HardenedApp, Policy } from '../../src';

/**
 * An app written with plain cdk8s-plus-27, before cdk8s-hardened: the policy engine checks it like
 * anything else. Its gaps (seccomp, capabilities, explicit ids, a disruption budget) are closed by hand,
 * and the one deliberate exception, a public LoadBalancer, is acknowledged with its reason.
 */
export class LegacyShopChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const labels = { 'app.kubernetes.io/name': 'legacy-shop', 'app.kubernetes.io/instance': 'legacy-shop' };

    const deployment = new kplus.Deployment(this, 'web', {
      metadata: { name: 'legacy-shop', labels },
      replicas: 2,
      podMetadata: { labels },
      securityContext: { user: 10001, group: 10001, fsGroup: 10001, ensureNonRoot: true },
      containers: [{
        name: 'web',
        image: 'ghcr.io/acme/legacy-shop:3.2.1',
        portNumber: 8080,
        securityContext: { user: 10001, group: 10001, ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        },
        readiness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
        liveness: kplus.Probe.fromTcpSocket({ port: 8080 }),
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp') }],
      }],
    });
    // cdk8s-plus-27 has no seccomp field and does not drop capabilities: patch them in.
    ApiObject.of(deployment).addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    );

    const service = deployment.exposeViaService({ name: 'legacy-shop', serviceType: kplus.ServiceType.LOAD_BALANCER, ports: [{ port: 80, targetPort: 8080 }] });
    // The deliberate exception, with its reason: it shows in every policy report.
    Policy.acknowledge(service, 'NSA-SERVICE-EXPOSURE', 'the public entry point until the shop moves behind the ingress gateway (PLAT-42)');
    // The same exception seen from the pods: their port admits the whole internet (egress stays restricted).
    Policy.acknowledge(deployment, 'NSA-NETWORK-POLICY', 'port 8080 is open to the internet behind the public load balancer (PLAT-42)');

    new kplus.NetworkPolicy(this, 'web-policy', {
      metadata: { name: 'legacy-shop' },
      selector: kplus.Pods.select(this, 'web-pods', { labels: { 'app.kubernetes.io/instance': 'legacy-shop' } }),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY, rules: [{ peer: kplus.NetworkPolicyIpBlock.anyIpv4(this, 'internet'), ports: [kplus.NetworkPolicyPort.tcp(8080)] }] },
      egress: {
        default: kplus.NetworkPolicyTrafficDefault.DENY,
        rules: [{ peer: kplus.Pods.select(this, 'dns', { labels: { 'k8s-app': 'kube-dns' }, namespaces: kplus.Namespaces.select(this, 'kube-system', { names: ['kube-system'] }) }), ports: [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)] }],
      },
    });

    // cdk8s-plus-27 has no PodDisruptionBudget: the low-level type fills the gap.
    new kplus.k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name: 'legacy-shop' },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels } },
    });
  }
}

export const app = new HardenedApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
new LegacyShopChart(app, 'legacy-shop', { namespace: 'legacy-shop' });
app.synth();
