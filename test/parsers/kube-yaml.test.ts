import { parseKubernetesYaml, readKubernetesYaml } from '../../src/parsers/kube-yaml';
import { EXCESSIVE_ALIASING, GO_YAML_DECODE_TESTS, GO_YAML_MERGE_TESTS, MAPPING_ROWS, REFUSED_SCALARS, SCALAR_ROWS } from '../support/yaml-cases';

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

/** The one document of a YAML text, as kubectl gets it. */
const decode = (yaml: string) => parseKubernetesYaml(yaml, 'test.yaml')[0];
/** `v: <scalar>` decoded, the value of v. */
const scalar = (text: string) => (decode(`v: ${text}\n`) as any).v;

describe('parseKubernetesYaml agrees with go-yaml v2 (differential table from its decode_test.go)', () => {
  test.each<[number, string, any]>(GO_YAML_DECODE_TESTS.unmarshalTests.map((t) => [t.line, t.yaml, t]))('decode_test.go:%i %j', (_, yaml, t) => {
    // GIVEN an upstream input and the value go-yaml v2 decodes (made JSON as sigs.k8s.io/yaml does)
    // WHEN read as kubectl reads it
    const read = () => decode(yaml);
    // THEN it is that value, or refused where JSON cannot hold it; a directive (%TAG) is cut off from its document by
    // kubectl's splitting at the --- line (apimachinery's YAMLReader), so kubectl refuses what go-yaml alone reads
    if (t.error) expect(read).toThrow(/json: unsupported value/);
    else if (/^%/m.test(yaml)) expect(read).toThrow(/: not YAML \(Could not resolve tag/);
    else expect(read()).toEqual(t.json);
  });

  test.each<[number, string]>(GO_YAML_DECODE_TESTS.unmarshalErrorTests.map((t) => [t.line, t.yaml]))('decode_test.go:%i refuses %j', (_, yaml) => {
    // GIVEN YAML that go-yaml v2 refuses THEN kubectl cannot read it and neither do we
    expect(() => parseKubernetesYaml(yaml, 'test.yaml')).toThrow(/test\.yaml: document 1 \(line \d+\): /);
  });

  test('mergeTests: every merge form gives the same map', () => {
    // GIVEN upstream's merge examples (yaml.org/type/merge.html)
    const merged = decode(GO_YAML_MERGE_TESTS) as any;
    // THEN each map but the anchors is {x: 1, y: 2, r: 10, label: center/big}
    const { anchors, ...maps } = merged;
    expect(Object.keys(maps)).toHaveLength(8);
    for (const map of Object.values(maps)) expect(map).toEqual({ x: 1, y: 2, r: 10, label: 'center/big' });
  });
});

// The rows below follow resolve.go and decode.go at v2.4.0 (the line cited), where decode_test.go has no case.
describe('scalars as resolve.go resolves them', () => {
  test.each(SCALAR_ROWS.map(([text, value]) => [text, value]))('v: %s', (text, value) => {
    expect(scalar(text)).toEqual(value);
  });

  test.each(REFUSED_SCALARS)('v: %s is refused', (text, message) => {
    expect(() => scalar(text)).toThrow(message);
  });
});

describe('mappings as decode.go and sigs.k8s.io/yaml make them', () => {
  test.each(MAPPING_ROWS.map(([yaml, value]) => [yaml, value]))('%j', (yaml, value) => {
    // GIVEN merge keys, non-string keys, duplicate keys or aliases WHEN read THEN go-yaml v2's JSON, or its refusal
    if (value instanceof RegExp) expect(() => decode(yaml)).toThrow(value);
    else expect(decode(yaml)).toEqual(value);
    expect(({} as any).polluted).toBeUndefined();
  });

  test('aliases: expanded, within go-yaml v2\'s limit on alias-driven decodes', () => {
    expect(() => decode(EXCESSIVE_ALIASING)).toThrow(/document contains excessive aliasing/);
  });
});

// Found by sending the tables to a real API server (test/cluster/yaml-reader.cluster.ts): where go-yaml v2 (YAML 1.1)
// and the `yaml` package (YAML 1.2) part ways below the syntax the tables above exercise.
describe('characters and escapes as go-yaml v2 reads them', () => {
  test.each(['\x85', '\u2028', '\u2029'])('%j: a line break to kubectl, refused wherever it stands (in a comment it would hide the key after it)', (lineBreak) => {
    // GIVEN a key after a YAML 1.1 line break in a comment: kubectl reads {runAsUser: 1000, privileged: true}
    const hidden = `securityContext:\n  runAsUser: 1000 # the uid${lineBreak}  privileged: true\n`;
    // WHEN read THEN refused, naming the character, the line and the fix; in a scalar too
    expect(() => decode(hidden)).toThrow(/test\.yaml: document 1 \(line 1\): U\+(0085|2028|2029) on line 2 is a line break for kubectl \(YAML 1\.1\).*write it escaped \(\\N, \\L, \\P\)/);
    expect(() => decode(`a: "b${lineBreak}c"\n`)).toThrow(/is a line break for kubectl/);
    // AND its escape is read as the character
    expect(decode('a: "\\N\\L\\P"\n')).toEqual({ a: '\x85\u2028\u2029' });
  });

  test.each(['\u0000', '\u0001', '\u001f', '\u007f', '\u0084', '\u0086', '\u009f', '\ud800', '\udfff', '\ufffe', '\uffff'])('%j: a control character is refused, as go-yaml\'s reader refuses it', (control) => {
    expect(() => decode(`a: b${control}c\n`)).toThrow(/not YAML \(control characters are not allowed: U\+[0-9A-F]{4} on line 1\)/);
    expect(() => decode(`# ${control}\na: b\n`)).toThrow(/control characters are not allowed/);
  });

  test('printable characters outside ASCII stay: NBSP, a soft hyphen, a byte order mark inside the text, an emoji', () => {
    expect(decode('a: b\u00a0\u00adc\ufeffd \ud83d\ude00\n')).toEqual({ a: 'b\u00a0\u00adc\ufeffd \ud83d\ude00' });
  });

  test('escapes: \\\' is a quote, \\/ (YAML 1.2 only) and surrogate code points are refused', () => {
    expect(decode('a: "it\\\'s \\\\\' \\x41\\u00e9\\U0001F600 \\e\\0"\n')).toEqual({ a: "it's \\' A\u00e9\ud83d\ude00 \x1b\x00" });
    expect(decode('"k\\\'": v\n')).toEqual({ "k'": 'v' });
    expect(() => decode('a: "\\/"\n')).toThrow(/not YAML \(found unknown escape character \\\/ on line 1\)/);
    expect(() => decode('a: "\\ud83d\\ude00"\n')).toThrow(/found invalid Unicode character escape code \\ud83d on line 1.*not a surrogate pair/);
    expect(() => decode('a: "\\U00110000"\n')).toThrow(/found invalid Unicode character escape code/);
    expect(() => decode('a: "\\x4"\n')).toThrow(/did not find expected hexdecimal number/);
    // (single-quoted and plain scalars have no escapes)
    expect(decode("a: '\\/'\nb: \\/\n")).toEqual({ a: '\\/', b: '\\/' });
  });

  test('a comment right after a quoted scalar, a bracket, a comma or a block scalar header is a comment', () => {
    expect(decode('a: "x"#c\nb: \'y\'#c\nc: [1]#c\nd: {e: 1}#c\nf: [1,#c\n  2]\ng: |#c\n  h\n')).toEqual(
      { a: 'x', b: 'y', c: [1], d: { e: 1 }, f: [1, 2], g: 'h\n' });
    // (after a plain scalar, # is part of it)
    expect(decode('a: x#c\n')).toEqual({ a: 'x#c' });
  });
});

describe('JSON as Go\'s encoding/json decodes it', () => {
  test('a number beyond float64 is refused (kubectl refuses it), not read as an infinity', () => {
    expect(() => parseKubernetesYaml('{"spec": {"replicas": 1e400}}', 's')).toThrow(/^s: JSON value 1 \(line 1\): json: cannot unmarshal a number beyond float64/);
    expect(() => parseKubernetesYaml('{"a": 1}\n{"b": -1e309}', 's')).toThrow(/^s: JSON value 2 \(line 2\)/);
  });

  test('a lone surrogate escape becomes U+FFFD, in keys and values; a pair stays the character', () => {
    expect(parseKubernetesYaml('{"a\\ud800": ["\\udc00x", "\\ud83d\\ude00"]}', 's')).toEqual([{ 'a\ufffd': ['\ufffdx', '\ud83d\ude00'] }]);
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
