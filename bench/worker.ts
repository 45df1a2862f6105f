// One measurement in a fresh process: `worker.ts <variant> <n>` prints { ms, cpuMs, rssMiB, bytes }.
// The timed region is building the objects and serializing them to YAML (modules are already loaded).
import { performance } from 'perf_hooks';
import { floor, ours, oursManifests, plus, raw } from './variants';

const [variant, nText] = process.argv.slice(2);
const n = Number(nText);
const manifests = variant === 'raw' || variant === 'floor' ? oursManifests(n) : undefined;
if (global.gc) global.gc();
const cpuStart = process.cpuUsage();
const start = performance.now();
let yaml: string;
switch (variant) {
  case 'ours': yaml = ours(n, false); break;
  case 'ours+policy': yaml = ours(n, true); break;
  case 'raw': yaml = raw(manifests!); break;
  case 'plus': yaml = plus(n); break;
  case 'floor': yaml = floor(manifests!); break;
  default: throw new Error(`unknown variant ${variant}`);
}
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(JSON.stringify({ ms, cpuMs, rssMiB: process.resourceUsage().maxRSS / 1024, bytes: yaml.length }));
