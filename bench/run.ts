// The synth benchmark: N = 100, 1,000 and 10,000 SecureDeployments (each with its Service, ServiceAccount,
// PDB, NetworkPolicy and HPA) against the same YAML as raw ApiObjects, an equivalent cdk8s-plus-27
// composition hardened by hand, and plain YAML serialization (the floor); ours with and without the
// policy engine. Every measurement runs in a fresh process; variants alternate within each round.
// Budgets are the pass/fail of this script. Usage: npm run bench [-- --quick]
import { execFileSync } from 'child_process';
import { cpus, totalmem } from 'os';
import * as path from 'path';
import { benchPolicy } from './policy.bench';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [100, 1000] : [100, 1000, 10000];
const ROUNDS: { [n: number]: number } = quick ? { 100: 3, 1000: 3 } : { 100: 7, 1000: 9, 10000: 3 };
const VARIANTS = ['ours', 'ours+policy', 'raw', 'plus', 'floor'];

interface Sample { ms: number; rssMiB: number; bytes: number }

function measure(variant: string, n: number): Sample {
  const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'worker.ts'), variant, String(n)], {
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_SWC: 'true', CDK8S_CHECK_UPGRADE: 'false' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(output);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const minimum = (values: number[]) => Math.min(...values);

const results: { [n: number]: { [variant: string]: { ms: number; minMs: number; rssMiB: number } } } = {};
for (const n of SIZES) {
  const samples: { [variant: string]: Sample[] } = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  for (let round = 0; round < ROUNDS[n]; round++) {
    // Rotate the order each round so that no variant always runs first (or last) on a warm machine.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
    for (const variant of order) samples[variant].push(measure(variant, n));
  }
  results[n] = Object.fromEntries(VARIANTS.map((v) => [v, {
    ms: median(samples[v].map((s) => s.ms)),
    minMs: minimum(samples[v].map((s) => s.ms)),
    rssMiB: Math.max(...samples[v].map((s) => s.rssMiB)),
  }]));
  process.stderr.write(`N=${n} done\n`);
}

const rows = SIZES.map((n) => {
  const r = results[n];
  return `| ${n.toLocaleString('en')} | ${VARIANTS.map((v) => `${r[v].ms.toFixed(0)} ms / ${r[v].rssMiB.toFixed(0)} MiB`).join(' | ')} | `
    + `${(r.ours.ms / r.raw.ms).toFixed(2)} | ${(r.ours.ms / r.plus.ms).toFixed(2)} | ${((r['ours+policy'].ms / r.ours.ms - 1) * 100).toFixed(1)} % |`;
});
const at = (n: number) => results[n];
const marginal = (v: string) => ((at(1000)[v].ms - at(100)[v].ms) / 900).toFixed(2);
const policy = benchPolicy(1000);

const budgets: Array<[string, number, number, string]> = [
  ['ours / raw at N = 1,000', at(1000).ours.ms / at(1000).raw.ms, 1.15, '≤'],
  ['ours / cdk8s-plus-27 at N = 1,000', at(1000).ours.ms / at(1000).plus.ms, 1.0, '≤'],
  ['policy engine overhead at N = 1,000', at(1000)['ours+policy'].ms / at(1000).ours.ms - 1, 0.10, '≤'],
  ['policy check alone, 1,000 workloads (ms)', policy.medianMs, 1000, '<'],
];
if (!quick) {
  budgets.push(
    ['ours N = 10,000 / N = 1,000 (linear)', at(10000).ours.ms / at(1000).ours.ms, 10.5, '≤'],
    ['ours+policy peak RSS at N = 10,000 (MiB)', at(10000)['ours+policy'].rssMiB, 1024, '≤'],
  );
}
const verdicts = budgets.map(([name, value, limit, op]) => ({ name, value, limit, op, pass: op === '<' ? value < limit : value <= limit }));

console.log(`Machine: ${cpus().length} × ${cpus()[0].model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`Command: npm run bench${quick ? ' -- --quick' : ''} (median wall time of ${Object.values(ROUNDS).join('/')} alternating rounds; peak RSS of the process)\n`);
console.log(`| N | ${VARIANTS.join(' | ')} | ours/raw | ours/plus | policy adds |`);
console.log(`| ---: | ${VARIANTS.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`);
console.log(rows.join('\n'));
console.log(`\nFastest run (ms): ${SIZES.map((n) => `N=${n}: ${VARIANTS.map((v) => `${v} ${results[n][v].minMs.toFixed(0)}`).join(', ')}`).join('; ')}`);
console.log(`\nMarginal cost per workload (N = 100 → 1,000): ${VARIANTS.map((v) => `${v} ${marginal(v)} ms`).join(', ')}`);
console.log(`Policy check alone: ${policy.objects} objects of 1,000 workloads in ${policy.medianMs.toFixed(0)} ms (median)\n`);
console.log('| budget | value | limit | result |');
console.log('| --- | ---: | ---: | --- |');
for (const v of verdicts) console.log(`| ${v.name} | ${v.value.toFixed(2)} | ${v.op} ${v.limit} | ${v.pass ? 'pass' : 'FAIL'} |`);
process.exit(verdicts.every((v) => v.pass) ? 0 : 1);
