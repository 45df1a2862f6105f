// One measurement in a fresh process: `worker.ts <variant> <n> [--instructions]` prints { ms, rssMiB, bytes }.
// The timed region is building the objects and serializing them to YAML (modules are already loaded); it
// runs inside `vm.runInThisContext` so that callgrind can count it alone (see callgrind.ts). With
// --instructions the worker runs under callgrind and switches instrumentation on just before the region.
import { performance } from 'perf_hooks';
import { runInThisContext } from 'vm';
import { startInstrumentation } from './callgrind';
import { floor, ours, oursManifests, plus, raw } from './variants';
import { PolicyPack } from '../src';

const [variant, nText, mode] = process.argv.slice(2);
const n = Number(nText);
const manifests = variant === 'raw' || variant === 'floor' ? oursManifests(n) : undefined;
const regions: { [variant: string]: () => string } = {
  'ours': () => ours(n, false),
  'ours+policy': () => ours(n, true),
  'raw': () => raw(manifests!),
  'plus': () => plus(n),
  'floor': () => floor(manifests!),
};
// The built-in rules load when a pack's rules are first read (so that requiring the library stays light): read
// them here, with the other modules, so that the region measures building and checking, as it always has. (Under
// ts-node the first read would also transpile ~60 rule files inside the region.)
for (const pack of PolicyPack.builtIn()) void pack.rules;
const region = regions[variant];
if (!region) throw new Error(`unknown variant ${variant}: one of ${Object.keys(regions).join(', ')}`);
(globalThis as any).__benchRegion = region;

if (mode === '--instructions') startInstrumentation();
if (global.gc) global.gc();
const start = performance.now();
const yaml: string = runInThisContext('__benchRegion()');
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ ms, rssMiB: process.resourceUsage().maxRSS / 1024, bytes: yaml.length }));
