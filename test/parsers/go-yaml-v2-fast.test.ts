import * as fc from 'fast-check';
import { readGoYamlDocument } from '../../src/parsers/go-yaml-v2-document';
import { fastGoYamlReader } from '../../src/parsers/go-yaml-v2-fast';

/** Scalars whose YAML 1.1 reading differs from YAML 1.2's or from their text: booleans, nulls, numbers, timestamps. */
const YAML_11_SCALARS = ['yes', 'No', 'on', 'OFF', 'y', 'N', 'Y', 'n', '~', 'null', 'Null', 'NULL', 'true', 'False', 'TRUE',
  '0', '00', '08', '0777', '0o17', '0x1F', '0b101', '+12', '-0', '1_000', '1e3', '1.', '.5', '-.5e1', '3.14', '.inf', '-.Inf', '.nan',
  '190:20:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '9223372036854775807', '18446744073709551615',
  '99999999999999999999', '1e400', '1e-400', '0x', '_1', '1,000', 'yES', 'enabled', '-', '+', '.', '8080', '500m', '128Mi'];
/** Characters that make scalars and documents interesting to a reader. */
const TRICKY = ['#', ': ', ' #', ':', '-', '"', '\'', '\\', '\\n', '\\t', '\\x41', '\\u00e9', '\\/', '\t', '&', '*', '!', '?', '%', '@', '`',
  '|', '>', '[', ']', '{', '}', ',', '<<', 'é', '😀', '\u0085', '\u2028', '\ufeff', '\r', ' ', '  ', '\n', '---', '...'];

const word = fc.stringMatching(/^[a-z][a-z0-9.\/-]{0,10}$/);
const scalarText = fc.oneof(fc.constantFrom(...YAML_11_SCALARS), word,
  fc.array(fc.oneof(fc.constantFrom(...TRICKY), word, fc.constantFrom(...YAML_11_SCALARS)), { minLength: 1, maxLength: 4 }).map((p) => p.join('')));
const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom('name', 'namespace', 'image', 'value', 'ports', 'labels', 'data', 'a', 'on', 'y') },
  { weight: 2, arbitrary: scalarText });

type Tree = string | { map: Array<[string, Tree, string]> } | { seq: Tree[]; flow: boolean };
/** A scalar written plain, double-quoted, single-quoted or as a literal/folded block (the style is the second field). */
const scalarNode = fc.tuple(scalarText, fc.constantFrom('plain', 'plain', 'double', 'single', 'literal', 'folded'));
const { tree } = fc.letrec<{ tree: Tree; map: Tree; seq: Tree }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarNode.map(([t, s]) => `${s}\u0000${t}`), tie('map'), tie('seq')),
  map: fc.array(fc.tuple(key, tie('tree'), fc.constantFrom('plain', 'plain', 'double', 'single')), { maxLength: 5 }).map((map) => ({ map })),
  seq: fc.tuple(fc.array(tie('tree'), { maxLength: 4 }), fc.boolean()).map(([seq, flow]) => ({ seq, flow })),
}));

function scalar(style: string, text: string, indent: string): string {
  switch (style) {
    case 'double': return JSON.stringify(text);
    case 'single': return `'${text.replace(/'/g, '\'\'')}'`;
    case 'literal': case 'folded': return `${style === 'literal' ? '|' : '>'}\n${text.split('\n').map((l) => `${indent}  ${l}`).join('\n')}`;
    default: return text;
  }
}

/** YAML text of a tree: block mappings and sequences, flow sequences of scalars where asked. */
function render(node: Tree, indent: string): string {
  if (typeof node === 'string') {
    const [style, text] = node.split('\u0000');
    return ` ${scalar(style, text, indent)}`;
  }
  if ('map' in node) {
    if (node.map.length === 0) return ' {}';
    return node.map.map(([k, v, style]) => `\n${indent}${scalar(style, k, indent)}:${render(v, `${indent}  `)}`).join('');
  }
  if (node.seq.length === 0) return ' []';
  if (node.flow && node.seq.every((item) => typeof item === 'string')) {
    return ` [${node.seq.map((item) => render(item, indent).trim()).join(', ')}]`;
  }
  return node.seq.map((item) => `\n${indent}-${render(item, `${indent}  `)}`).join('');
}

/** A Kubernetes-like document: apiVersion, kind, metadata, then the generated tree as its spec. */
const document = fc.tuple(tree, fc.constantFrom('Deployment', 'ConfigMap', 'Service')).map(([spec, kind]) =>
  `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:${render(spec, '  ')}\n`);

/** The exact reader's JSON of a document, or why it refuses it. */
function exact(text: string): unknown {
  try {
    return readGoYamlDocument(text);
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  }
}

describe('the fast path reads every document it takes as the exact reader does', () => {
  test('Kubernetes-like documents with YAML 1.1 scalars in every style', () => {
    // GIVEN generated documents (block and flow collections, plain, quoted and block scalars, duplicate and odd keys)
    const read = fastGoYamlReader();
    let fast = 0;
    let runs = 0;
    fc.assert(fc.property(document, (text) => {
      runs++;
      // WHEN the fast path takes one
      const value = read(text);
      if (value === undefined) return;
      fast++;
      // THEN the exact reader gives the same JSON, key order included
      const reference = exact(text);
      expect(value.value).toStrictEqual(reference);
      expect(JSON.stringify(value.value)).toBe(JSON.stringify(reference));
    }), { numRuns: 5000 });
    // AND the fast path took a good share of them (the test is not vacuous)
    expect(fast).toBeGreaterThan(runs / 4);
  });

  test('documents with characters inserted anywhere', () => {
    // GIVEN a Helm-like document with a few tricky characters inserted at random places
    const base = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  labels: {app: web}\ndata:\n  a: "1"\n  b: |\n    x: y\n'
      + '  c: [on, "off", 0x1F]\n  d: yes\n  e: 1_000\nitems:\n  - name: x\n    value: ~\n';
    const read = fastGoYamlReader();
    const insertion = fc.tuple(fc.nat({ max: base.length }), fc.constantFrom(...TRICKY, ...YAML_11_SCALARS));
    const insertions = fc.array(insertion, { minLength: 1, maxLength: 3 });
    fc.assert(fc.property(insertions, (edits) => {
      let text = base;
      for (const [at, piece] of edits) text = text.slice(0, at) + piece + text.slice(at);
      // WHEN the fast path takes it THEN the exact reader reads the same
      const value = read(text);
      if (value !== undefined) expect(JSON.stringify(value.value)).toBe(JSON.stringify(exact(text)));
    }), { numRuns: 5000 });
  });

  test('declines what it might read otherwise, and what it cannot hold', () => {
    // GIVEN documents with anchors, merge keys, tags, directives, complex or non-string keys, NaN
    const read = fastGoYamlReader();
    for (const text of ['a: &x 1\nb: *x\n', 'a: {p: 1}\nb:\n  <<: {q: 2}\n', 'a: !!str 1\n', '%YAML 1.1\n---\na: 1\n', '? a\n: 1\n',
      '1: a\n', 'yes: a\n', '~: a\n', ': a\n', '[a]: b\n', 'a: "b\n  c"\n', 'a: b\rc: d\n', 'a: .nan\n', 'a: "\\x41"\n', 'a: b\n\tc: d\n', `${'k'.repeat(1100)}: v\n`]) {
      // THEN it leaves them to the exact reader
      expect(read(text)).toBeUndefined();
    }
  });
});
