// The four ways of producing the same hardened workloads that the synth benchmark compares.
import { ApiObject, App, Chart, JsonPatch, Size, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HardenedApp, SecureDeployment } from '../src';

export const IMAGE = 'ghcr.io/acme/web:1.4.2';
const OUTDIR = '/tmp/cdk8s-hardened-bench';

/** What every variant produces per workload: Deployment, Service, ServiceAccount, PDB, NetworkPolicy, HPA. */
function newChart(): { app: App; chart: Chart } {
  const app = new App({ outdir: OUTDIR });
  return { app, chart: new Chart(app, 'bench', { namespace: 'bench' }) };
}

/**
 * Ours: one SecureDeployment per workload, with or without the policy engine at synth. With it, the app is
 * a HardenedApp, the path README recommends (one evaluation per synth).
 */
export function ours(n: number, enforce: boolean): string {
  const app = enforce ? new HardenedApp({ outdir: OUTDIR, printWarnings: false }) : new App({ outdir: OUTDIR });
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  for (let i = 0; i < n; i++) {
    new SecureDeployment(chart, `w${i}`, { name: `w${i}`, image: IMAGE, port: 8080, autoscaling: { minReplicas: 2, maxReplicas: 10 } });
  }
  return app.synthYaml();
}

/** The manifests ours produces, as plain objects (computed outside the timed region). */
export function oursManifests(n: number): any[] {
  const { chart } = newChart();
  for (let i = 0; i < n; i++) {
    new SecureDeployment(chart, `w${i}`, { name: `w${i}`, image: IMAGE, port: 8080, autoscaling: { minReplicas: 2, maxReplicas: 10 } });
  }
  return chart.toJson();
}

/** Raw: the same YAML replayed as cdk8s ApiObjects. */
export function raw(manifests: any[]): string {
  const { app, chart } = newChart();
  manifests.forEach((manifest, i) => new ApiObject(chart, `o${i}`, manifest));
  return app.synthYaml();
}

/** The floor: YAML serialization of the same plain objects. */
export function floor(manifests: any[]): string {
  return Yaml.stringify(...manifests);
}

/** What a user writes without us: cdk8s-plus-27 objects with the hardening patched in by hand. */
export function plus(n: number): string {
  const { app, chart } = newChart();
  for (let i = 0; i < n; i++) {
    const name = `w${i}`;
    const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
    const labels = {
      ...selector,
      'app.kubernetes.io/version': '1.4.2',
      'app.kubernetes.io/component': 'server',
      'app.kubernetes.io/part-of': 'bench',
      'app.kubernetes.io/managed-by': 'hand',
    };
    const serviceAccount = new kplus.ServiceAccount(chart, `${name}-sa`, { metadata: { name, labels }, automountToken: false });
    const deployment = new kplus.Deployment(chart, name, {
      metadata: { name, labels },
      podMetadata: { labels },
      serviceAccount,
      automountServiceAccountToken: false,
      securityContext: { user: 10001, group: 10001, fsGroup: 10001, ensureNonRoot: true },
      containers: [{
        name: 'app',
        image: IMAGE,
        portNumber: 8080,
        securityContext: {
          user: 10001, group: 10001, ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false,
        },
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
          // cdk8s-plus-27 writes ephemeral storage in whole GiB only.
          ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
        },
        readiness: kplus.Probe.fromTcpSocket({ port: 8080 }),
        liveness: kplus.Probe.fromTcpSocket({ port: 8080 }),
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(chart, `${name}-tmp`, 'tmp') }],
      }],
    });
    ApiObject.of(deployment).addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
      JsonPatch.add('/spec/template/spec/enableServiceLinks', false),
      JsonPatch.add('/spec/template/spec/topologySpreadConstraints', ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
        maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector },
      }))),
    );
    deployment.exposeViaService({ name, ports: [{ port: 8080 }] });
    new kplus.k8s.KubePodDisruptionBudget(chart, `${name}-pdb`, {
      metadata: { name, labels },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
    const dns = kplus.Pods.select(chart, `${name}-dns`, {
      labels: { 'k8s-app': 'kube-dns' }, namespaces: kplus.Namespaces.select(chart, `${name}-kube-system`, { names: ['kube-system'] }),
    });
    new kplus.NetworkPolicy(chart, `${name}-np`, {
      metadata: { name, labels },
      selector: deployment,
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY, rules: [{ peer: kplus.Pods.all(chart, `${name}-peers`), ports: [kplus.NetworkPolicyPort.tcp(8080)] }] },
      egress: {
        default: kplus.NetworkPolicyTrafficDefault.DENY,
        rules: [{ peer: dns, ports: [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)] }],
      },
    });
    new kplus.HorizontalPodAutoscaler(chart, `${name}-hpa`, {
      metadata: { name, labels },
      target: deployment,
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(80))],
    });
  }
  return app.synthYaml();
}
