// How long the policy engine takes to check N SecureDeployments (each with its ServiceAccount, Service,
// PDB and NetworkPolicy), apart from building and synthesizing them. Budget: 1,000 workloads well
// under a second. Run: npm run bench -- policy
import { performance } from 'perf_hooks';
import { App, Chart } from 'cdk8s';
import { PolicyPack, PolicyReport, SecureDeployment } from '../src';
import { policyObject } from '../src/policy/policy-object';

export function benchPolicy(n: number, runs: number = 5): { medianMs: number; objects: number } {
  const app = new App({ outdir: '/tmp/cdk8s-hardened-bench' });
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  for (let i = 0; i < n; i++) {
    new SecureDeployment(chart, `w${i}`, { name: `w${i}`, image: 'ghcr.io/acme/web:1.4.2', port: 8080 });
  }
  const objects = chart.toJson().map((m: any, i: number) => policyObject(m, `bench/${i}`));
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

if (require.main === module) {
  const { medianMs, objects } = benchPolicy(1000);
  const budgetMs = 500;
  console.log(`policy engine, 1,000 workloads (${objects} objects): median ${medianMs.toFixed(1)} ms (budget ${budgetMs} ms)`);
  process.exit(medianMs <= budgetMs ? 0 : 1);
}
