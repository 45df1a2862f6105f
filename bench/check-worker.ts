// One `cdk8s-hardened check` measurement in a fresh process: `check-worker.ts <MB>` writes about that many MB of
// Helm-like YAML to a temporary file and prints { ms, cpuMs, rssMiB, bytes, objects } for `runCheck([file])` with
// the default packs, end to end (reading the file, parsing, the rules, the text report), modules already loaded:
// wall time, and the CPU time of the process (user and system, all threads: garbage collection included).
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { helmLikeManifests } from './helm-like';
import { PolicyPack } from '../src';
import { runCheck } from '../src/cli/check';

const megabytes = Number(process.argv[2]);
const dir = mkdtempSync(path.join(tmpdir(), 'cdk8s-hardened-check-'));
const file = path.join(dir, 'rendered.yaml');
const text = helmLikeManifests(megabytes * 1e6);
writeFileSync(file, text);
// Load what the region would otherwise load (and transpile, under ts-node): the built-in rules, the YAML readers.
for (const pack of PolicyPack.builtIn()) void pack.rules;
runCheck([path.join(__dirname, 'check-warm-up.yaml')]);
if (global.gc) global.gc();
const start = performance.now();
const cpu = process.cpuUsage();
const { output, status } = runCheck([file]);
const { user, system } = process.cpuUsage(cpu);
const ms = performance.now() - start;
rmSync(dir, { recursive: true });
if (status === 2) throw new Error(`check refused the input: ${output.slice(0, 2000)}`);
const objects = Number(/^(\d+) objects checked/.exec(output)?.[1]);
const rssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ ms, cpuMs: (user + system) / 1000, rssMiB, bytes: text.length, objects }));
