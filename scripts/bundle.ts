// Turns jsii's lib/ into what `require('cdk8s-hardened')` loads (run by the compile task after jsii):
//   - lib/index.js, one bundle whose exports are getters, each running the modules that define it on first read: Node
//     resolves one file instead of ~120, and an app runs only the modules of the constructs it uses;
//   - chunks that only some apps need, so that an app does not even parse them: the built-in rules (loaded when a
//     pack's rules are first read), the CLI, and the constructs SecureDeployment does not need (Flyway, canary,
//     network, admission, supply chain; lib/index.js's getters for their exports read the chunk). A chunk takes
//     every module it shares with lib/index.js from it (by a symbol-keyed, non-enumerable export), and no module is
//     in two chunks, so that each module, and each class, exists once;
//   - jsii's other .js files are deleted (their .d.ts stay: they are the types).
// Dependencies stay external; the generated Istio and Gateway API classes stay in lib/imports/ (src/generated-kinds.ts).
//
// The build fails when an export is not defined by exactly one module, when a module is in two chunks, when an
// export read first in a fresh copy of the bundle is not what jsii's lib/index.js exports (a cycle between modules
// shows up so), or when, through the chunks, an export or a built-in pack differs from jsii's.
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { createRequire } from 'module';
import * as path from 'path';
import * as vm from 'vm';
import { build, BuildOptions, Plugin } from 'esbuild';

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
const INDEX = path.join(LIB, 'index.js');
const IMPORTS = path.join(LIB, 'imports');
const EXTERNAL = ['cdk8s', 'cdk8s-plus-27', 'constructs', 'yaml', './imports/*'];
const BANNER = '// cdk8s-hardened: bundled by scripts/bundle.ts from what jsii compiled';
/** The key of the export of lib/index.js through which chunks take the modules they share with it. */
const SHARED_MODULE_KEY = 'cdk8s-hardened/bundled-module';

/**
 * A chunk: what it bundles — a module of lib/ (`entry`), or the exports of some modules (`exportsOf`, which
 * lib/index.js's getters then read from the chunk) — the file it becomes, and how lib/index.js requires an entry.
 */
interface Chunk {
  readonly entry?: string;
  readonly exportsOf?: string[];
  readonly outfile: string;
  readonly requiredAs?: { readonly importer: string; readonly path: string };
}
const CHUNKS: Chunk[] = [
  {
    entry: path.join(LIB, 'policy', 'rules', 'index.js'),
    outfile: path.join(LIB, 'chunks', 'rules.js'),
    requiredAs: { importer: path.join(LIB, 'policy', 'pack.js'), path: './rules' },
  },
  { entry: path.join(LIB, 'cli', 'main.js'), outfile: path.join(LIB, 'cli', 'main.js') },
  // Constructs that SecureDeployment (what every app loads) does not need; each group's modules are its own.
  { exportsOf: ['./workloads/flyway-migration-job.js', './workloads/migrations.js', './workloads/job-ordering.js'], outfile: path.join(LIB, 'chunks', 'flyway.js') },
  { exportsOf: ['./workloads/canary-pair.js', './workloads/canary-routing.js'], outfile: path.join(LIB, 'chunks', 'canary.js') },
  {
    exportsOf: ['./network/egress-allowlist.js', './network/egress-target.js', './network/dns-egress.js', './network/default-deny-namespace.js',
      './data/external-mongo-service.js', './data/external-address.js'],
    outfile: path.join(LIB, 'chunks', 'network.js'),
  },
  { exportsOf: ['./admission/admission-policies.js'], outfile: path.join(LIB, 'chunks', 'admission.js') },
  { exportsOf: ['./supply-chain/image-verification.js', './supply-chain/image-signer.js'], outfile: path.join(LIB, 'chunks', 'supply-chain.js') },
];

type Exports = Record<string, unknown>;

const COMMON: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  external: EXTERNAL,
  keepNames: true, // class names as jsii compiled them (esbuild renames classes that refer to themselves)
  minifyWhitespace: true,
  minifySyntax: true,
  allowOverwrite: true,
  metafile: true,
  banner: { js: BANNER },
};

/** `./x/y.js`, relative to lib/, as lib/index.js requires it. */
function fromLib(file: string): string {
  return `./${path.relative(LIB, file).split(path.sep).join('/')}`;
}

/** The module of lib/ that defines each export of jsii's lib/index.js (re-exports are getters; definitions are not). */
function definingModules(index: Exports): Map<string, string> {
  const modules = Object.keys(require.cache).filter((file) => file.startsWith(LIB + path.sep) && !file.startsWith(IMPORTS));
  const where = new Map<string, string>();
  for (const name of Object.keys(index).filter((n) => n !== '__esModule')) {
    const definers = modules.filter((file) => {
      const descriptor = Object.getOwnPropertyDescriptor(require.cache[file]!.exports, name);
      return descriptor !== undefined && 'value' in descriptor && descriptor.value === index[name];
    });
    if (definers.length !== 1) {
      throw new Error(`bundle: export ${name} is defined by ${definers.length} modules of lib/ (${definers.join(', ')}); expected exactly one`);
    }
    where.set(name, fromLib(definers[0]));
  }
  return where;
}

function entrySource(where: Map<string, string>, shared: string[]): string {
  const lines = [
    '"use strict";',
    'function lazy(name, load) { Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] }); }',
  ];
  for (const [name, file] of where) {
    const chunk = CHUNKS.find((c) => c.exportsOf?.includes(file));
    lines.push(`lazy(${JSON.stringify(name)}, () => require(${JSON.stringify(chunk ? fromLib(chunk.outfile) : file)}));`);
  }
  lines.push('const shared = {');
  for (const file of shared) lines.push(`  ${JSON.stringify(file)}: () => require(${JSON.stringify(file)}),`);
  lines.push('};');
  lines.push(`Object.defineProperty(exports, Symbol.for(${JSON.stringify(SHARED_MODULE_KEY)}), { value: (file) => shared[file]() });`);
  return lines.join('\n');
}

/** lib/index.js, requiring the chunks it loads on first use; returns the absolute paths of the modules it holds. */
async function buildIndex(where: Map<string, string>, shared: string[], write: boolean): Promise<Set<string>> {
  const chunksByRequire: Plugin = {
    name: 'chunks',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        const chunk = CHUNKS.find((c) => (c.requiredAs?.importer === args.importer && c.requiredAs.path === args.path)
          || (c.exportsOf !== undefined && args.path === fromLib(c.outfile)));
        return chunk ? { path: fromLib(chunk.outfile), external: true } : undefined;
      });
    },
  };
  const result = await build({
    ...COMMON,
    stdin: { contents: entrySource(where, shared), resolveDir: LIB, sourcefile: 'index.js', loader: 'js' },
    outfile: INDEX,
    write,
    plugins: [chunksByRequire],
  });
  return new Set(Object.keys(result.metafile!.inputs).filter((input) => input !== 'index.js').map((input) => path.join(ROOT, input)));
}

/**
 * Builds a chunk that takes the modules of `inIndex` from lib/index.js; returns those it takes (relative to lib/)
 * and those it holds (absolute).
 */
async function buildChunk(chunk: Chunk, inIndex: Set<string>, write: boolean): Promise<{ shared: string[]; held: string[] }> {
  const shared = new Set<string>();
  const toIndex = path.relative(path.dirname(chunk.outfile), INDEX).split(path.sep).join('/');
  const sharedModules: Plugin = {
    name: 'shared-modules',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.namespace === 'shared') return { path: args.path, external: true };
        let file: string;
        try {
          file = require.resolve(path.resolve(args.resolveDir, args.path));
        } catch {
          return undefined;
        }
        if (!inIndex.has(file)) return undefined;
        shared.add(fromLib(file));
        return { path: fromLib(file), namespace: 'shared' };
      });
      b.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(toIndex)})[Symbol.for(${JSON.stringify(SHARED_MODULE_KEY)})](${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
  const entry = chunk.entry ? { entryPoints: [chunk.entry] } : {
    stdin: { contents: `Object.assign(exports, ${chunk.exportsOf!.map((f) => `require(${JSON.stringify(f)})`).join(', ')});`, resolveDir: LIB, loader: 'js' as const },
  };
  const result = await build({ ...COMMON, ...entry, outfile: chunk.outfile, write, plugins: [sharedModules] });
  const held = Object.keys(result.metafile!.inputs).filter((input) => !input.startsWith('shared:') && input !== '<stdin>').map((input) => path.join(ROOT, input));
  return { shared: [...shared], held };
}

/** Reads each export first in a fresh copy of the bundle: it must be what jsii's lib/index.js exports (same type, same name). */
function checkEachExportAlone(expected: Exports): void {
  const load = vm.compileFunction(readFileSync(INDEX, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: INDEX });
  const requireFromLib = createRequire(INDEX);
  const problems: string[] = [];
  for (const name of Object.keys(expected).filter((n) => n !== '__esModule')) {
    const module = { exports: {} as Exports };
    load(module.exports, requireFromLib, module, INDEX, LIB);
    const value = module.exports[name];
    const want = expected[name];
    const sameShape = typeof value === typeof want && (typeof want !== 'function' || (want as { name: string }).name === (value as { name: string }).name);
    if (!sameShape || value === undefined) problems.push(`${name}: read first, it is ${typeof value} ${(value as { name?: string })?.name ?? ''}`);
  }
  if (problems.length) throw new Error(`bundle: exports that do not load on their own:\n  ${problems.join('\n  ')}`);
}

/**
 * In a fresh process, through the chunks: every export has jsii's type and name, and the built-in packs hold jsii's
 * rules, as instances of the bundle's PolicyRule.
 */
function checkChunks(expected: string): void {
  const script = `const h = require(${JSON.stringify(INDEX)});
    const packs = h.PolicyPack.builtIn();
    if (!packs.every((p) => p.rules.every((r) => r instanceof h.PolicyRule))) throw new Error('a rule of the chunk is not a PolicyRule of lib/index.js');
    const exports = Object.keys(h).map((k) => k + ':' + typeof h[k] + ':' + (typeof h[k] === 'function' ? h[k].name : ''));
    process.stdout.write(exports.join(' ') + '\\n' + packs.map((p) => p.name + ':' + p.rules.map((r) => r.id).join(',')).join(' '));`;
  const actual = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (actual !== expected) throw new Error(`bundle: the exports or built-in packs of the bundle differ from jsii's:\n  ${actual}\n  ${expected}`);
}

/** The CLI chunk runs: `cdk8s-hardened check` over a compliant-enough manifest reports on it (exit 0 or 1), not a crash. */
function checkCli(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'bundle-cli-'));
  writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: shop }\nspec: { containers: [{ name: c, image: "ghcr.io/acme/p:1.0.0" }] }\n');
  const run = spawnSync(process.execPath, [path.join(LIB, 'cli', 'main.js'), 'check', dir, '--format', 'json'], { encoding: 'utf8' });
  rmSync(dir, { recursive: true });
  if ((run.status !== 0 && run.status !== 1) || !run.stdout.includes('"objectCount": 1')) {
    throw new Error(`bundle: lib/cli/main.js does not run (exit ${run.status}):\n${run.stderr.slice(0, 2000)}`);
  }
}

function summary(index: Exports): string {
  const exports = Object.keys(index).filter((k) => k !== '__esModule')
    .map((k) => `${k}:${typeof index[k]}:${typeof index[k] === 'function' ? (index[k] as { name: string }).name : ''}`);
  const packs = (index.PolicyPack as { builtIn(): Array<{ name: string; rules: Array<{ id: string }> }> }).builtIn();
  return `${exports.join(' ')}\n${packs.map((p) => `${p.name}:${p.rules.map((r) => r.id).join(',')}`).join(' ')}`;
}

/** Builds every chunk; returns the modules they take from lib/index.js, and those two chunks would both hold. */
async function buildChunks(inIndex: Set<string>, write: boolean = false): Promise<{ shared: string[]; inTwo: string[] }> {
  const shared = new Set<string>();
  const heldBy = new Map<string, string>();
  const inTwo = new Set<string>();
  for (const chunk of CHUNKS) {
    const built = await buildChunk(chunk, inIndex, write);
    built.shared.forEach((file) => shared.add(file));
    for (const file of built.held) {
      if (heldBy.has(file)) inTwo.add(fromLib(file));
      heldBy.set(file, chunk.outfile);
    }
  }
  return { shared: [...shared], inTwo: [...inTwo] };
}

async function main(): Promise<void> {
  if (readFileSync(INDEX, 'utf8').startsWith(BANNER)) throw new Error('bundle: lib/index.js is already the bundle; run `npx projen compile` (jsii first)');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsiiIndex: Exports = require(INDEX);
  const jsiiSummary = summary(jsiiIndex);
  const where = definingModules(jsiiIndex);
  // Modules two chunks need go to lib/index.js, which shares them; generated-kinds.js always does (it requires
  // ./imports/*, relative to lib/).
  // Nothing is written until the last pass: a chunk's entry may be its own output file (the CLI).
  let inIndexToo = ['./generated-kinds.js'];
  let inIndex = await buildIndex(where, inIndexToo, false);
  let chunks = await buildChunks(inIndex);
  if (chunks.inTwo.length > 0) {
    inIndexToo = [...inIndexToo, ...chunks.inTwo];
    inIndex = await buildIndex(where, inIndexToo, false);
    chunks = await buildChunks(inIndex);
    if (chunks.inTwo.length > 0) throw new Error(`bundle: ${chunks.inTwo.join(', ')} would be in two chunks: its classes would exist twice`);
  }
  await buildChunks(inIndex, true);
  await buildIndex(where, [...new Set([...inIndexToo, ...chunks.shared])].sort(), true);
  const kept = new Set([INDEX, ...CHUNKS.map((c) => c.outfile)]);
  for (const file of readdirSync(LIB, { recursive: true, encoding: 'utf8' }).map((f) => path.join(LIB, f))) {
    if (file.endsWith('.js') && !file.startsWith(IMPORTS) && !kept.has(file)) rmSync(file);
  }
  // The chunks require ../index.js: the bundle from now on, not jsii's index that this process loaded.
  for (const file of Object.keys(require.cache)) if (file.startsWith(LIB + path.sep)) delete require.cache[file];
  checkEachExportAlone(jsiiIndex);
  checkChunks(jsiiSummary);
  checkCli();
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
