// How long the policy engine takes to check N SecureDeployments (each with its ServiceAccount, Service,
// PDB and NetworkPolicy), apart from building and synthesizing them. Budget: 1,000 workloads well
// under a second. Run: npm run bench -- policy
import { performance } from 'perf_hooks';
import { App, Chart } from 'cdk8s';
import { PolicyPack, PolicyReport, SecureDeployment } from '../src';
import { policyObject } from '../src/k8s/policy-object';

export function benchPolicy(n: number, runs: number = 5): { medianMs: number; objects: number } {
  const objects = chartManifests(n).map((m: any, i: number) => policyObject(m, `bench/${i}`));
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    const report = PolicyReport._evaluate(objects, PolicyPack.defaults(), () => undefined);
    times.push(performance.now() - start);
    if (report.findings.length) throw new Error(`unexpected findings: ${report.toText()}`);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], objects: objects.length };
}


/**
 * The cross-object rules at scale when selectors share labels: N Deployments, each with a Service, a
 * NetworkPolicy and a PodDisruptionBudget; half select with matchLabels that all begin with the same
 * `app.kubernetes.io/part-of: shop`, half with matchExpressions only. Plain manifests, checked against the
 * default packs; the median of `runs` runs. Budget: N = 10,000 in < 2 s.
 */
export function benchSharedSelectors(n: number, runs: number = 3): { ms: number; objects: number } {
  const template = chartManifests(1);
  const manifests: any[] = [];
  for (let i = 0; i < n; i++) {
    const name = `w${i}`;
    const selector = i % 2 === 0
      ? { matchLabels: { 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/name': name } }
      : { matchExpressions: [{ key: 'app.kubernetes.io/part-of', operator: 'In', values: ['shop'] }, { key: 'app.kubernetes.io/name', operator: 'In', values: [name] }] };
    const labels = { 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/name': name };
    for (const base of template) {
      const manifest = JSON.parse(JSON.stringify(base).replace(/"w0"/g, JSON.stringify(name)));
      switch (manifest.kind) {
        case 'Deployment':
          manifest.spec.selector = selector;
          manifest.spec.template.metadata.labels = labels;
          break;
        case 'Service': manifest.spec.selector = labels; break;
        case 'NetworkPolicy': manifest.spec.podSelector = selector; break;
        case 'PodDisruptionBudget': manifest.spec.selector = selector; break;
      }
      manifests.push(manifest);
    }
  }
  const times: number[] = [];
  let objects: any[] = [];
  for (let run = 0; run < runs; run++) {
    // Fresh objects each run: nothing a previous run computed (pod views) is reused.
    objects = JSON.parse(JSON.stringify(manifests)).map((m: any, i: number) => policyObject(m, `bench/${i}`));
    const start = performance.now();
    const report = PolicyReport._evaluate(objects, PolicyPack.defaults(), () => undefined);
    times.push(performance.now() - start);
    if (report.errors.length) throw new Error(`unexpected findings: ${report.errors.slice(0, 5).map((f) => f.message).join('; ')}`);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], objects: objects.length };
}

function chartManifests(n: number): any[] {
  const app = new App({ outdir: '/tmp/cdk8s-hardened-bench' });
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  for (let i = 0; i < n; i++) {
    new SecureDeployment(chart, `w${i}`, { name: `w${i}`, image: 'ghcr.io/acme/web:1.4.2', port: 8080 });
  }
  return chart.toJson();
}
