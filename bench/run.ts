// The synth benchmark: N = 100, 1,000 and 10,000 SecureDeployments (each with its Service, ServiceAccount,
// PDB, NetworkPolicy and HPA) against the same YAML as raw ApiObjects, an equivalent cdk8s-plus-27
// composition hardened by hand, and plain YAML serialization (the floor); ours with and without the
// policy engine. Every measurement runs in a fresh process.
//   1. Wall time: variants alternate within each round; median and fastest run, peak RSS.
//   2. Instructions: each variant once under callgrind (deterministic, so once is enough), two at a time.
// Budgets are the pass/fail of this script: ratios and linearity on instruction counts (wall time on this
// machine moves by ±20 % between identical runs), memory on peak RSS. Without valgrind the ratios fall back
// to median wall time, with a warning. Beside them: the policy check alone, the reachability evaluator on 1,000
// workloads and 1,000 NetworkPolicies (reach.bench.ts), the cold require, and `cdk8s-hardened check` on 50 MB of
// Helm-like YAML (check.bench.ts, judged on CPU time).
// Usage: npm run bench [-- --quick]   (--quick: no N = 10,000, fewer rounds; what CI runs)
import { execFileSync, spawn } from 'child_process';
import { mkdtempSync } from 'fs';
import { cpus, tmpdir, totalmem } from 'os';
import * as path from 'path';
import { callgrindAvailable, callgrindCommand, instructionCount } from './callgrind';
import { benchCheck } from './check.bench';
import { benchLoad } from './load.bench';
import { benchPolicy, benchSharedSelectors } from './policy.bench';
import { benchReach } from './reach.bench';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [100, 1000] : [100, 1000, 10000];
const ROUNDS: { [n: number]: number } = quick ? { 100: 3, 1000: 3 } : { 100: 7, 1000: 9, 10000: 3 };
const VARIANTS = ['ours', 'ours+policy', 'raw', 'plus', 'floor'];
/**
 * What is counted under callgrind, longest first: ours at N = 10,000 (linearity) and every variant at
 * N = 1,000; --quick counts only what the ratio budgets need.
 */
const COUNTED: Array<[string, number]> = quick
  ? ['ours', 'ours+policy', 'raw', 'plus'].map((v) => [v, 1000])
  : [['ours', 10000], ...VARIANTS.map((v): [string, number] => [v, 1000])];

const WORKER = [
  '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'worker.ts'),
];
const WORKER_ENV = { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_SWC: 'true', CDK8S_CHECK_UPGRADE: 'false' };

interface Sample { ms: number; rssMiB: number; bytes: number }
interface Figures { ms: number; minMs: number; rssMiB: number }

function measureWallTime(variant: string, n: number): Sample {
  const output = execFileSync(process.execPath, [...WORKER, variant, String(n)], { encoding: 'utf8', env: WORKER_ENV, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(output);
}

function countInstructions(variant: string, n: number, dir: string): Promise<number> {
  const outFile = path.join(dir, `callgrind.${variant}.${n}`);
  const { file, args } = callgrindCommand(outFile, [...WORKER, variant, String(n), '--instructions']);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: WORKER_ENV, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => stderr += chunk);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`callgrind ${variant} N=${n} exited with ${code}:\n${stderr.slice(-2000)}`));
      try {
        resolve(instructionCount(outFile));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Runs the counted measurements, as many at a time as there are cores (the counts do not depend on load). */
async function countAll(): Promise<Map<string, number>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cdk8s-hardened-callgrind-'));
  const counts = new Map<string, number>();
  const queue = [...COUNTED];
  const started = Date.now();
  const lane = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [variant, n] = next;
      counts.set(`${variant}@${n}`, await countInstructions(variant, n, dir));
      process.stderr.write(`instructions ${variant} N=${n} counted (${((Date.now() - started) / 60000).toFixed(1)} min)\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(cpus().length, COUNTED.length) }, lane));
  return counts;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function wallTimes(): { [n: number]: { [variant: string]: Figures } } {
  const results: { [n: number]: { [variant: string]: Figures } } = {};
  for (const n of SIZES) {
    const samples: { [variant: string]: Sample[] } = Object.fromEntries(VARIANTS.map((v) => [v, []]));
    for (let round = 0; round < ROUNDS[n]; round++) {
      // Rotate the order each round so that no variant always runs first (or last) on a warm machine.
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
      for (const variant of order) samples[variant].push(measureWallTime(variant, n));
    }
    results[n] = Object.fromEntries(VARIANTS.map((v) => [v, {
      ms: median(samples[v].map((s) => s.ms)),
      minMs: Math.min(...samples[v].map((s) => s.ms)),
      rssMiB: Math.max(...samples[v].map((s) => s.rssMiB)),
    }]));
    process.stderr.write(`wall time N=${n} done\n`);
  }
  return results;
}

async function main(): Promise<boolean> {
  const counting = callgrindAvailable();
  if (!counting && process.env.CI) throw new Error('valgrind and callgrind_control are required in CI: wall-time budgets are too noisy to gate on');
  if (!counting) process.stderr.write('WARNING: valgrind/callgrind_control not found: the ratio budgets fall back to wall time, which is noisy\n');
  const wall = wallTimes();
  const policy = benchPolicy(1000);
  const shared = benchSharedSelectors(10000);
  const reach = benchReach(1000);
  const load = benchLoad(quick ? 21 : 41);
  const check = benchCheck();
  const counts = counting ? await countAll() : undefined;

  const at = (n: number) => wall[n];
  const ratio = (a: string, b: string, n: number = 1000) => counts
    ? counts.get(`${a}@${n}`)! / counts.get(`${b}@${n}`)!
    : at(n)[a].ms / at(n)[b].ms;
  const linearity = counts ? counts.get('ours@10000')! / counts.get('ours@1000')! : at(10000)?.ours.ms / at(1000)?.ours.ms;
  const basis = counts ? 'instructions' : 'median wall time';
  const wallRatio = (a: string, b: string) => (at(1000)[a].ms / at(1000)[b].ms).toFixed(2);

  const budgets: Array<[string, number, number, string, string]> = [
    [`ours / raw at N = 1,000 (${basis})`, ratio('ours', 'raw'), 1.15, '≤', wallRatio('ours', 'raw')],
    [`ours / cdk8s-plus-27 at N = 1,000 (${basis})`, ratio('ours', 'plus'), 1.0, '≤', wallRatio('ours', 'plus')],
    [`policy engine overhead at N = 1,000, % (${basis})`, (ratio('ours+policy', 'ours') - 1) * 100, 15, '≤', ((at(1000)['ours+policy'].ms / at(1000).ours.ms - 1) * 100).toFixed(2)],
    ['policy check alone, 1,000 workloads (ms)', policy.medianMs, 1000, '<', '-'],
    ['policy check, 10,000 workloads with shared-label and matchExpressions selectors (ms)', shared.ms, 2000, '<', '-'],
    ['reachability, all pairs of 1,000 workloads under 1,000 NetworkPolicies (s)', reach.medianMs / 1000, 2, '<', '-'],
    ['cold require + first SecureDeployment / cold require of cdk8s-plus-27 (median wall time of fresh processes, alternating)', load.oursMs / load.plusMs, 1.2, '≤',
      `${load.oursMs.toFixed(0)} / ${load.plusMs.toFixed(0)} ms`],
    // The budget catches bundled dependencies and inlined sources (each adds megabytes at once); features add tenths.
    ['packed lib/ (MB)', load.libBytes / 1e6, 3, '≤', `package ${(load.packageBytes / 1e6).toFixed(2)} MB compressed`],
    ['cdk8s-hardened check of 50 MB of Helm-like YAML, CPU s', check.cpuMsAt50 / 1000, 10, '<', `${(check.samples[50].ms / 1000).toFixed(1)} s`],
    ['cdk8s-hardened check, 20 MB / 10 MB (CPU time, 2 is linear)', check.linearity, 2.3, '≤',
      (check.samples[20].ms / check.samples[10].ms).toFixed(2)],
  ];
  if (!quick) {
    budgets.push(
      [`ours N = 10,000 / N = 1,000, linear (${basis})`, linearity, 10.5, '≤', (at(10000).ours.ms / at(1000).ours.ms).toFixed(2)],
      ['ours+policy peak RSS at N = 10,000 (MiB)', at(10000)['ours+policy'].rssMiB, 1024, '≤', '-'],
    );
  }
  const verdicts = budgets.map(([name, value, limit, op, wallValue]) => ({ name, value, limit, op, wallValue, pass: op === '<' ? value < limit : value <= limit }));

  console.log(`Machine: ${cpus().length} × ${cpus()[0].model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`Command: npm run bench${quick ? ' -- --quick' : ''} (median wall time of ${Object.values(ROUNDS).join('/')} alternating rounds; peak RSS of the process)\n`);
  console.log(`| N | ${VARIANTS.join(' | ')} | ours/raw | ours/plus | policy adds |`);
  console.log(`| ---: | ${VARIANTS.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`);
  for (const n of SIZES) {
    const r = at(n);
    console.log(`| ${n.toLocaleString('en')} | ${VARIANTS.map((v) => `${r[v].ms.toFixed(0)} ms / ${r[v].rssMiB.toFixed(0)} MiB`).join(' | ')} | `
      + `${(r.ours.ms / r.raw.ms).toFixed(2)} | ${(r.ours.ms / r.plus.ms).toFixed(2)} | ${((r['ours+policy'].ms / r.ours.ms - 1) * 100).toFixed(1)} % |`);
  }
  console.log(`\nFastest run (ms): ${SIZES.map((n) => `N=${n}: ${VARIANTS.map((v) => `${v} ${at(n)[v].minMs.toFixed(0)}`).join(', ')}`).join('; ')}`);
  const marginal = (v: string) => ((at(1000)[v].ms - at(100)[v].ms) / 900).toFixed(2);
  console.log(`\nMarginal cost per workload (N = 100 → 1,000): ${VARIANTS.map((v) => `${v} ${marginal(v)} ms`).join(', ')}`);
  console.log(`Policy check alone: ${policy.objects} objects of 1,000 workloads in ${policy.medianMs.toFixed(0)} ms (median)`);
  console.log(`Policy check, shared selectors: ${shared.objects} objects of 10,000 workloads in ${shared.ms.toFixed(0)} ms`);
  console.log(`Reachability: ${reach.workloads} workloads, ${reach.policies} NetworkPolicies, ${reach.peers} peers, `
    + `${reach.connections} allowed connections in ${reach.medianMs.toFixed(0)} ms (median)`);
  console.log(`cdk8s-hardened check (default packs): ${Object.entries(check.samples).map(([mb, s]) => `${mb} MB (${s.objects} objects) `
    + `${(s.cpuMs / 1000).toFixed(1)} s CPU / ${(s.ms / 1000).toFixed(1)} s wall / ${s.rssMiB.toFixed(0)} MiB`).join(', ')}`);
  console.log(`Cold require (median of fresh processes): cdk8s-hardened ${load.requireOnlyMs.toFixed(0)} ms, with the first SecureDeployment `
    + `${load.oursMs.toFixed(0)} ms, with every export ${load.everyExportMs.toFixed(0)} ms (${(load.everyExportMs / load.plusMs).toFixed(2)} ×); cdk8s-plus-27 ${load.plusMs.toFixed(0)} ms; `
    + `lib/ ${(load.libBytes / 1e6).toFixed(2)} MB, package ${(load.packageBytes / 1e6).toFixed(2)} MB\n`);
  if (counts) {
    console.log('| instructions (callgrind; node --single-threaded --predictable-gc-schedule) | count | per workload |');
    console.log('| --- | ---: | ---: |');
    for (const [variant, n] of COUNTED) {
      const count = counts.get(`${variant}@${n}`)!;
      console.log(`| ${variant}, N = ${n.toLocaleString('en')} | ${(count / 1e9).toFixed(3)} G | ${(count / n / 1e6).toFixed(2)} M |`);
    }
    console.log('');
  }
  console.log('| budget | value | limit | wall-time value (informative) | result |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  for (const v of verdicts) console.log(`| ${v.name} | ${v.value.toFixed(2)} | ${v.op} ${v.limit} | ${v.wallValue} | ${v.pass ? 'pass' : 'FAIL'} |`);
  return verdicts.every((v) => v.pass);
}

main().then((pass) => process.exit(pass ? 0 : 1), (error) => {
  console.error(error);
  process.exit(2);
});
