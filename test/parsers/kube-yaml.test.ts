import { readFileSync } from 'fs';
import * as path from 'path';
import { parseKubernetesYaml, readKubernetesYaml } from '../../src/parsers/kube-yaml';

// The differential test of the two readers: every document of every case below that the fast path reads
// (go-yaml-v2-fast.ts, js-yaml) is read by the exact reader too, and the two must give the same JSON, key order
// included; a document the exact reader refuses must not be read by the fast path. The cases' expectations then
// hold whichever reader read the document.
const mockDifferential = { fast: 0, disagreements: [] as string[] };
jest.mock('../../src/parsers/go-yaml-v2-fast', () => {
  const actual = jest.requireActual('../../src/parsers/go-yaml-v2-fast');
  const { readGoYamlDocument } = jest.requireActual('../../src/parsers/go-yaml-v2-document');
  const { isDeepStrictEqual } = jest.requireActual('util');
  return {
    fastGoYamlReader: () => {
      const read = actual.fastGoYamlReader();
      return (part: string) => {
        const fast = read(part);
        if (fast === undefined) return fast;
        mockDifferential.fast++;
        let exact: unknown;
        try {
          exact = readGoYamlDocument(part);
        } catch (e) {
          exact = `refused: ${(e as Error).message}`;
        }
        if (!isDeepStrictEqual(fast.value, exact) || JSON.stringify(fast.value) !== JSON.stringify(exact)) {
          mockDifferential.disagreements.push(`${JSON.stringify(part)}: fast ${JSON.stringify(fast.value)}, exact ${JSON.stringify(exact)}`);
        }
        return fast;
      };
    },
  };
});

afterAll(() => {
  // THEN the readers agree on every document the fast path read, and it read many of them
  expect(mockDifferential.disagreements).toEqual([]);
  expect(mockDifferential.fast).toBeGreaterThan(100);
});

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'go-yaml-v2');
const upstream = JSON.parse(readFileSync(path.join(FIXTURES, 'decode_test.json'), 'utf8'));

/** The one document of a YAML text, as kubectl gets it. */
const decode = (yaml: string) => parseKubernetesYaml(yaml, 'test.yaml')[0];
/** `v: <scalar>` decoded, the value of v. */
const scalar = (text: string) => (decode(`v: ${text}\n`) as any).v;

describe('parseKubernetesYaml agrees with go-yaml v2 (differential table from its decode_test.go)', () => {
  test.each<[number, string, any]>(upstream.unmarshalTests.map((t: any) => [t.line, t.yaml, t]))('decode_test.go:%i %j', (_, yaml, t) => {
    // GIVEN an upstream input and the value go-yaml v2 decodes (made JSON as sigs.k8s.io/yaml does)
    // WHEN read as kubectl reads it
    const read = () => decode(yaml);
    // THEN it is that value, or refused where JSON cannot hold it; a directive (%TAG) is cut off from its document by
    // kubectl's splitting at the --- line (apimachinery's YAMLReader), so kubectl refuses what go-yaml alone reads
    if (t.error) expect(read).toThrow(/json: unsupported value/);
    else if (/^%/m.test(yaml)) expect(read).toThrow(/: not YAML \(Could not resolve tag/);
    else expect(read()).toEqual(t.json);
  });

  test.each<[number, string]>(upstream.unmarshalErrorTests.map((t: any) => [t.line, t.yaml]))('decode_test.go:%i refuses %j', (_, yaml) => {
    // GIVEN YAML that go-yaml v2 refuses THEN kubectl cannot read it and neither do we
    expect(() => parseKubernetesYaml(yaml, 'test.yaml')).toThrow(/test\.yaml: document 1 \(line \d+\): /);
  });

  test('mergeTests: every merge form gives the same map', () => {
    // GIVEN upstream's merge examples (yaml.org/type/merge.html)
    const merged = decode(readFileSync(path.join(FIXTURES, 'merge_test.yaml'), 'utf8')) as any;
    // THEN each map but the anchors is {x: 1, y: 2, r: 10, label: center/big}
    const { anchors, ...maps } = merged;
    expect(Object.keys(maps)).toHaveLength(8);
    for (const map of Object.values(maps)) expect(map).toEqual({ x: 1, y: 2, r: 10, label: 'center/big' });
  });
});

// The rows below follow resolve.go and decode.go at v2.4.0 (the line cited), where decode_test.go has no case.
describe('scalars as resolve.go resolves them', () => {
  test.each<[string, unknown]>([
    // resolveMap: exactly these spellings are booleans; others stay strings
    ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s): [string, unknown] => [s, true]),
    ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s): [string, unknown] => [s, false]),
    ...['yES', 'oN', 'tRUE', 't', 'f', 'enabled'].map((s): [string, unknown] => [s, s]),
    // nulls
    ...['~', 'null', 'Null', 'NULL', ''].map((s): [string, unknown] => [s, null]),
    ['nULL', 'nULL'],
    // integers: strconv.ParseInt(s without "_", 0, 64), then ParseUint
    ['0_0', 0], ['1_000', 1000], ['+12', 12], ['-0', 0], ['0777', 511], ['0o17', 15], ['0O17', 15], ['0x1F', 31], ['0X1f', 31],
    ['0b101', 5], ['-0x1F', -31], ['+0777', 511], ['9223372036854775807', 9223372036854775807], ['18446744073709551615', 18446744073709551615],
    // not ints, then yamlStyleFloat: leading zeros without octal digits are decimal floats
    ['08', 8], ['0778', 778], ['1e3', 1000], ['1E3', 1000], ['1.', 1], ['+.5', 0.5], ['-.5e1', -5], ['.5', 0.5], ['1_0.5', 10.5],
    ['99999999999999999999', 1e20], ['1e-400', 0],
    // strings: sexagesimal is unsupported, overflow is not a float, hex floats and separators are not numbers
    ['190:20:30', '190:20:30'], ['1e400', '1e400'], ['0x', '0x'], ['0x1p3', '0x1p3'], ['_1', '_1'], ['1,000', '1,000'], ['._5', '._5'],
    ['.5_0', '.5_0'], ['0xFFFFFFFFFFFFFFFFFF', '0xFFFFFFFFFFFFFFFFFF'], ['-.nan', '-.nan'], ['Infinity', 'Infinity'], ['+', '+'],
    // timestamps stay the text they were written as (decode.go: "for backward compatibility reasons we set it as a string")
    ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'], ['2001-12-14', '2001-12-14'],
    // quoted and block scalars are strings; explicit tags resolve
    ['"yes"', 'yes'], ["'0777'", '0777'], ['!!str yes', 'yes'], ['!!bool "on"', true], ['!!int "0x1F"', 31], ['!!float 1', 1],
    ['!!timestamp 2001-12-14', '2001-12-14'], ['! yes', 'yes'], ['!custom yes', 'yes'], ['!!binary aGVsbG8=', 'hello'],
    ['!!binary |\n  aGVs\n  bG8=', 'hello'], ['|\n  yes', 'yes\n'],
  ])('v: %s', (text, value) => {
    expect(scalar(text)).toEqual(value);
  });

  test.each([
    ['!!int abc', /cannot decode !!str `abc` as a !!int/],
    ['!!bool 1', /cannot decode !!int `1` as a !!bool/],
    ['!!timestamp 2001-13-01', /cannot decode !!str `2001-13-01` as a !!timestamp/],
    ['!!binary aGVsbG8', /!!binary value contains invalid base64 data/],
    ['.inf', /json: unsupported value/],
    ['[.nan]', /json: unsupported value/],
  ])('v: %s is refused', (text, message) => {
    expect(() => scalar(text)).toThrow(message);
  });
});

describe('mappings as decode.go and sigs.k8s.io/yaml make them', () => {
  test('<< merges where it stands: a later key replaces an earlier one, merged or not (v2, unlike the YAML spec)', () => {
    // decode.go's merge() unmarshals into the map being built; gomplate saw it change with v3 (hairyhenderson/gomplate#1441)
    expect(decode('a: {p: 1, q: 1}\nb:\n  p: 0\n  <<: *x\n'.replace('*x', '{p: 2, q: 2}'))).toEqual({ a: { p: 1, q: 1 }, b: { p: 2, q: 2 } });
    expect(decode('b:\n  <<: {p: 2}\n  p: 0\n')).toEqual({ b: { p: 0 } });
    // a sequence is merged from its last map to its first, so the first wins
    expect(decode('x: &x {p: 1}\ny: &y {p: 2, q: 2}\nz:\n  <<: [*x, *y]\n')).toMatchObject({ z: { p: 1, q: 2 } });
    expect(decode('a:\n  "<<": {p: 1}\n')).toEqual({ a: { '<<': { p: 1 } } });
    expect(decode('a:\n  ! <<: {p: 1}\n')).toEqual({ a: { p: 1 } });
  });

  test('non-string keys become strings; keys that collide, null keys and uint64 keys are refused', () => {
    expect(decode('1: a\ntrue: b\nyes: c\n0x1F: d\n1.5: e\n1e6: f\n0.1: g\n.inf: h\n')).toEqual(
      { '1': 'a', 'true': 'c', '31': 'd', '1.5': 'e', '1e+06': 'f', '0.1': 'g', '.inf': 'h' });
    expect(() => decode('1: a\n"1": b\n')).toThrow(/two keys become "1" in JSON/);
    expect(() => decode('~: a\n')).toThrow(/unsupported map key of type: <nil>/);
    expect(() => decode('18446744073709551615: a\n')).toThrow(/unsupported map key of type: uint64/);
    // a later duplicate key wins (non-strict yaml.Unmarshal), as does __proto__ stay a key
    expect(decode('a: 1\na: 2\n__proto__: {polluted: true}\n')).toEqual(JSON.parse('{"a": 2, "__proto__": {"polluted": true}}'));
    expect(({} as any).polluted).toBeUndefined();
  });

  test('aliases: expanded, within go-yaml v2\'s limit on alias-driven decodes', () => {
    expect(decode('a: &a [1, 2]\nb: *a\n')).toEqual({ a: [1, 2], b: [1, 2] });
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expect(() => decode(levels.join('\n'))).toThrow(/document contains excessive aliasing/);
  });
});

describe('streams as kubectl splits them', () => {
  test('YAML: --- lines split documents; empty and null documents are left out', () => {
    expect(parseKubernetesYaml('---\na: 1\n--- # two\n\n---\n~\n---\r\nb: 2\n...\nc: 3\n', 's')).toEqual([{ a: 1 }, { b: 2 }]);
  });

  test('YAML: a separator followed by content is refused, as kubectl refuses it', () => {
    expect(() => parseKubernetesYaml('a: 1\n--- {b: 2}\n', 's')).toThrow(/s: line 2: invalid Yaml document separator: \{b: 2\}/);
  });

  test('JSON: objects back to back, the last duplicate key wins; YAML after the first object is read as YAML', () => {
    expect(parseKubernetesYaml(' {"a": 1, "a": 2}\n{"b": "yes"} [3]', 's')).toEqual([{ a: 2 }, { b: 'yes' }, [3]]);
    expect(parseKubernetesYaml('{"a": 1}\nb: yes\n', 's')).toEqual([{ a: 1 }, { b: true }]);
    expect(parseKubernetesYaml('{a: yes}\n', 's')).toEqual([{ a: true }]);
    expect(() => parseKubernetesYaml('{"a": 1}\n{"b": 2}\n{"c": ', 's')).toThrow(/s: JSON value 3 \(line 3\)/);
  });

  test('errors name the source, the document and its line', () => {
    expect(() => parseKubernetesYaml('a: 1\n---\nb: !!int x\n', 'f.yaml')).toThrow(/^f\.yaml: document 2 \(line 3\): kubectl cannot read it: cannot decode/);
  });
});

describe('where each document starts', () => {
  test('YAML: the line of its first content, after --- and comments (1-based)', () => {
    // GIVEN Helm-like output: separators, # Source comments, blank lines, a null document
    const text = '# header\n---\n# Source: a.yaml\napiVersion: v1\nkind: A\n---\n\n---\n# Source: b.yaml\n\nkind: B\n---\n~\n---\r\nkind: C\n';
    // WHEN read
    const documents = readKubernetesYaml(text, 's');
    // THEN each document has the line of its first key
    expect(documents).toEqual([{ value: { apiVersion: 'v1', kind: 'A' }, line: 4 }, { value: { kind: 'B' }, line: 11 }, { value: { kind: 'C' }, line: 15 }]);
  });

  test('JSON: the line where each value opens, and YAML after it', () => {
    // GIVEN JSON objects back to back, then JSON followed by YAML (kubectl reads the rest as YAML)
    const documents = readKubernetesYaml('{"kind": "A"}\n\n  {"kind":\n "B"} {"kind": "C"}\n', 's');
    // THEN the lines are those of the opening braces, and of the YAML document
    expect(documents.map((d) => d.line)).toEqual([1, 3, 4]);
    expect(readKubernetesYaml('{"kind": "A"}\n\nkind: B\n', 's')).toEqual([{ value: { kind: 'A' }, line: 1 }, { value: { kind: 'B' }, line: 3 }]);
  });
});
