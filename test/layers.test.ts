// The layers of src/ (ARCHITECTURE.md), checked from the import statements: each folder imports only its own layer
// or the layers below, constructs never reach into a rule, and no two folders import each other.
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

/** The layers, bottom first; a module may import from its own layer and those before it. */
const LAYERS = ['imports', 'core', 'parsers', 'k8s', 'policy', 'constructs', 'plugin', 'cli', 'index.ts'];
const RANK = new Map(LAYERS.map((layer, i) => [layer, i]));
// plugin and cli sit side by side: neither imports the other.
RANK.set('cli', RANK.get('plugin')!);

interface Import {
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative import and require of src/, as paths relative to src/ (without extension). */
function imports(): Import[] {
  return sourceFiles(SRC).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/(?:from|require\()\s*'(\.[^']+)'/g)].map((m) => ({
      from: path.relative(SRC, file).replace(/\.ts$/, ''),
      to: path.relative(SRC, path.resolve(path.dirname(file), m[1])),
    }));
  });
}

const layerOf = (module: string) => (module.includes('/') ? module.split('/')[0] : `${module}.ts`);
const folderOf = (module: string) => path.dirname(module);

describe('the layers of src/', () => {
  const all = imports();

  test('every module is in a known layer', () => {
    // GIVEN every module that imports or is imported
    const modules = new Set(all.flatMap((i) => [i.from, i.to]));
    // THEN each belongs to one of the layers
    expect([...modules].filter((m) => !RANK.has(layerOf(m)))).toEqual([]);
  });

  test('imports point down (or within a layer), never up', () => {
    // WHEN an import goes from a lower layer to a higher one
    const upward = all.filter((i) => RANK.get(layerOf(i.to))! > RANK.get(layerOf(i.from))!);
    // THEN there is none
    expect(upward.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  test('plugin and cli do not import each other', () => {
    const across = all.filter((i) => new Set([layerOf(i.from), layerOf(i.to)]).size === 2 && ['plugin', 'cli'].includes(layerOf(i.from)) && ['plugin', 'cli'].includes(layerOf(i.to)));
    expect(across.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  test('constructs use rules through the engine, never a rule file', () => {
    const intoRules = all.filter((i) => layerOf(i.from) === 'constructs' && i.to.startsWith('policy/rules/'));
    expect(intoRules.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  test('built-in rules import rule-api/, reachability/ and the layers below policy/, never the engine; reachability/ imports no rule', () => {
    // GIVEN the imports out of policy/rules/ and out of policy/reachability/ into policy/
    const fromRules = all.filter((i) => i.from.startsWith('policy/rules/') && layerOf(i.to) === 'policy');
    const fromReachability = all.filter((i) => i.from.startsWith('policy/reachability/') && layerOf(i.to) === 'policy');
    // THEN a rule reaches policy/ only through rule-api/, reachability/ (the connection queries) and rule files, and
    // reachability/ (which the rules and the engine both use) reaches no rule, no rule-api and no engine module
    const allowed = /^policy\/(rule-api|reachability|rules)\//;
    expect(fromRules.filter((i) => !allowed.test(i.to)).map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
    expect(fromReachability.filter((i) => !i.to.startsWith('policy/reachability/')).map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  test('no two folders import each other', () => {
    // GIVEN the folder graph
    const edges = new Set(all.filter((i) => folderOf(i.from) !== folderOf(i.to)).map((i) => `${folderOf(i.from)} -> ${folderOf(i.to)}`));
    // WHEN two folders import each other
    const cycles = [...edges].filter((edge) => {
      const [a, b] = edge.split(' -> ');
      return edges.has(`${b} -> ${a}`);
    });
    // THEN there is none
    expect(cycles).toEqual([]);
  });
});
