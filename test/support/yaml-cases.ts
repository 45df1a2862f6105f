// The YAML differential tables: inputs whose decoding differs between YAML readers (YAML 1.1 booleans, merge keys,
// number forms, duplicate and colliding keys, hostile layouts), with what go-yaml v2 (through sigs.k8s.io/yaml, as
// kubectl and the API server read YAML) makes of them. test/parsers judges `parseKubernetesYaml` on them offline;
// test/cluster/yaml-reader.cluster.ts sends the same bytes to a real API server and compares what it stores.
import { readFileSync } from 'fs';
import * as path from 'path';

const GO_YAML_V2 = path.join(__dirname, '..', 'fixtures', 'go-yaml-v2');

/** go-yaml v2's decode_test.go entries that decode into interface{} (see test/fixtures/go-yaml-v2/README.md). */
export const GO_YAML_DECODE_TESTS: {
  readonly unmarshalTests: Array<{ line: number; yaml: string; json?: unknown; error?: string }>;
  readonly unmarshalErrorTests: Array<{ line: number; yaml: string; error: string }>;
} = JSON.parse(readFileSync(path.join(GO_YAML_V2, 'decode_test.json'), 'utf8'));

/** go-yaml v2's mergeTests document: every map of it but `anchors` is {x: 1, y: 2, r: 10, label: center/big}. */
export const GO_YAML_MERGE_TESTS: string = readFileSync(path.join(GO_YAML_V2, 'merge_test.yaml'), 'utf8');

/**
 * `v: <scalar>` and the value go-yaml v2 resolves it to, following resolve.go and decode.go at v2.4.0 where
 * decode_test.go has no case.
 */
export const SCALAR_ROWS: Array<[string, unknown]> = [
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
  // a leading dot: strconv.ParseFloat as it is, which takes underscores between digits (underscoreOK)
  ['.5_0', 0.5], ['.5e1_0', 5e9], ['.5_e1', '.5_e1'], ['.5__0', '.5__0'], ['.5_', '.5_'], ['.5e_1', '.5e_1'],
  // strings: sexagesimal is unsupported, overflow is not a float, hex floats and separators are not numbers
  ['190:20:30', '190:20:30'], ['1e400', '1e400'], ['0x', '0x'], ['0x1p3', '0x1p3'], ['_1', '_1'], ['1,000', '1,000'], ['._5', '._5'],
  ['0xFFFFFFFFFFFFFFFFFF', '0xFFFFFFFFFFFFFFFFFF'], ['-.nan', '-.nan'], ['Infinity', 'Infinity'], ['+', '+'],
  // timestamps stay the text they were written as (decode.go: "for backward compatibility reasons we set it as a string")
  ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'], ['2001-12-14', '2001-12-14'],
  // quoted and block scalars are strings; explicit tags resolve
  ['"yes"', 'yes'], ["'0777'", '0777'], ['!!str yes', 'yes'], ['!!bool "on"', true], ['!!int "0x1F"', 31], ['!!float 1', 1],
  ['!!timestamp 2001-12-14', '2001-12-14'], ['! yes', 'yes'], ['!custom yes', 'yes'], ['!!binary aGVsbG8=', 'hello'],
  ['!!binary |\n  aGVs\n  bG8=', 'hello'], ['|\n  yes', 'yes\n'],
];

/** `v: <scalar>` that go-yaml v2 (or JSON, after it) refuses, and the reason. */
export const REFUSED_SCALARS: Array<[string, RegExp]> = [
  ['!!int abc', /cannot decode !!str `abc` as a !!int/],
  ['!!bool 1', /cannot decode !!int `1` as a !!bool/],
  ['!!timestamp 2001-13-01', /cannot decode !!str `2001-13-01` as a !!timestamp/],
  ['!!binary aGVsbG8', /!!binary value contains invalid base64 data/],
  ['.inf', /json: unsupported value/],
  ['[.nan]', /json: unsupported value/],
];

/**
 * Mappings as decode.go and sigs.k8s.io/yaml make them, and the JSON (or the reason it is refused): merge keys
 * applied where they stand, non-string keys spelled out, duplicate keys (the later wins, non-strict), aliases.
 */
export const MAPPING_ROWS: Array<[string, unknown]> = [
  // << merges where it stands: a later key replaces an earlier one, merged or not (v2, unlike the YAML spec;
  // decode.go's merge() unmarshals into the map being built; gomplate saw it change with v3, hairyhenderson/gomplate#1441)
  ['a: {p: 1, q: 1}\nb:\n  p: 0\n  <<: {p: 2, q: 2}\n', { a: { p: 1, q: 1 }, b: { p: 2, q: 2 } }],
  ['b:\n  <<: {p: 2}\n  p: 0\n', { b: { p: 0 } }],
  // a sequence is merged from its last map to its first, so the first wins (and the key y is the boolean true)
  ['x: &x {p: 1}\ny: &y {p: 2, q: 2}\nz:\n  <<: [*x, *y]\n', { x: { p: 1 }, true: { p: 2, q: 2 }, z: { p: 1, q: 2 } }],
  ['a:\n  "<<": {p: 1}\n', { a: { '<<': { p: 1 } } }],
  ['a:\n  ! <<: {p: 1}\n', { a: { p: 1 } }],
  // non-string keys become strings
  ['1: a\ntrue: b\nyes: c\n0x1F: d\n1.5: e\n1e6: f\n0.1: g\n.inf: h\n', { '1': 'a', 'true': 'c', '31': 'd', '1.5': 'e', '1e+06': 'f', '0.1': 'g', '.inf': 'h' }],
  // keys that collide once spelled out: sigs.k8s.io/yaml keeps one of them, whichever Go's map iteration gives first
  ['1: a\n"1": b\n', /two keys become "1" in JSON/],
  ['~: a\n', /unsupported map key of type: <nil>/],
  ['18446744073709551615: a\n', /unsupported map key of type: uint64/],
  // a later duplicate key wins (non-strict yaml.Unmarshal), and __proto__ stays a key
  ['a: 1\na: 2\n__proto__: {polluted: true}\n', JSON.parse('{"a": 2, "__proto__": {"polluted": true}}')],
  ['a: &a [1, 2]\nb: *a\n', { a: [1, 2], b: [1, 2] }],
];

/** Documents written to find where a fast reader and go-yaml v2 part ways: layouts, comments, quoting, keys. */
export const HOSTILE_DOCUMENTS: string[] = [
  'privileged: !!bool "true"\n',
  'privileged : true\n',
  'privileged  : true\n',
  '"privileged ": true\n',
  'privileged: True\n',
  'privileged: TRUE\n',
  'privileged: tRUE\n',
  'a: multi\n  line\n  plain\n',
  'a:\n  true\n',
  'a: true # c\n',
  'a: true#c\n',
  '? privileged\n: true\n',
  '\ufeffprivileged: true\n',
  'privileged: true\r\nb: 1\r\n',
  'a: 1\r\n---\r\nb: 2\r\n',
  'a: 1\n...\n',
  'a: 1\n...\nb: 2\n',
  '%YAML 1.1\n---\na: yes\n',
  '{"a": 1, "a": 2}\n',
  '{"privileged": true, "privileged": false}\n',
  'a: 1\na: 2\n',
  'privileged: false\nprivileged: true\n',
  'a: "x\n  y"\n',
  'a: \'x\n\n  y\'\n',
  'a: >-\n  x\n  y\n',
  'a: |+\n  x\n\n',
  'a: - 1\n',
  'a:\n- 1\n- 2\n',
  'a: [1, 2]\n',
  'a: {b: 1}\n',
  'a: yes\n',
  'a: "yes"\n',
  'a: 0x10\n',
  'a: 010\n',
  'a: 1_000\n',
  'a: 2001-12-14\n',
  'a: 1e3\n',
  'a: .inf\n',
  'a: ~\n',
  'a:\n',
  'a: \n',
  'a:\tb\n',
  'a: b\u00a0\n',
  'a: b #x\n',
  'a: :b\n',
  'a: b:c\n',
  'a: -b\n',
  'a: b\n  # c\n  d\n',
  '- a\n- b\n',
  'a:\n  - b: 1\n    c: 2\n',
  'a:\n  -   b: 1\n      c: 2\n',
  'a: &x 1\n',
  'a: 1\n#---\nb: 2\n',
  'a: "\\u0074rue"\n',
  'a: \'true\'\n',
  'a: true\n  b\n',
  'spec:\n  containers:\n  - name: x\n    securityContext:\n      privileged: true\n   privileged: false\n',
  'a: b\n   c: d\n',
  'a:\n  b: 1\n c: 2\n',
  'a: 1\n b: 2\n',
  ' a: 1\nb: 2\n',
  'a: @b\n',
  'a: `b\n',
  'a: |\n  x\n b: 1\n',
  'a: >\n\n  x\n',
  'a: "x" #c\n',
  'a: "x"#c\n',
  'a: "x" y\n',
  'a: \'x\' y\n',
  'a: 1 # c\n# d\n',
  'a: - b\n',
  'a: b - c\n',
  'a: [b\n  , c]\n',
  'a: b\u2028c\n',
  'a: b\u0085c\n',
  'key with space: 1\n',
  'a: b\n\n\n',
  '\n\n\na: b\n',
  '# only comment\n',
  'a:\n  b:\n  c: 1\n',
  'a: 12:30\n',
  'a: 1:20\n',
  'a: +.5\n',
  'a: 0.\n',
  'a: -0\n',
  'a: 0b2\n',
  'a: 0o8\n',
  'a: 1__0\n',
  'a: =\n',
  'a: <<\n',
  'a: y\n',
  'y: a\n',
  'on: a\n',
  '"on": a\n',
  'a: 9007199254740993\n',
  'a: 123456789012345678\n',
  'a: -9223372036854775809\n',
  'a: 0x8000000000000000\n',
  'a:   \n    b\n',
  'a: b\n---\n',
  '---\na: b\n',
  '--- \na: b\n',
  '--- # c\na: b\n',
  '- - a\n',
  '-\n  a\n',
  '- a: 1\n  b: 2\n',
  'a: "\\""\n',
  'a: "\\\\"\n',
  'a: "\\n"\n',
  'a: "\\/"\n',
  'a: \'\'\'\'\n',
  'a: b\'c\n',
  'a: b"c\n',
  'a: b#c\n',
  'a: b # c: d\n',
  'a: b: c\n',
  'a: "b": c\n',
  'a: x\n- b\n',
  '- a\nb: c\n',
  // escapes: YAML 1.1's (go-yaml also takes \\'), and YAML 1.2's \\/ that it refuses
  'a: "\\\'"\n',
  'a: "\\/"\n',
  'a: "\\x41\\u00e9\\U0001F600"\n',
  'a: "\\N\\_\\L\\P"\n',
  'a: "\\0\\a\\b\\e\\v\\f"\n',
  'a: "\\ud800"\n',
  'a: "x\\\ty"\n',
  // comments right after a token, with no space before them
  'a: \'x\'#c\n',
  'a: [b]#c\n',
  'a: {b: 1}#c\n',
  'a: |#c\n  x\n',
  'a: [b,#c\n  c]\n',
  // characters YAML 1.1 reads as line breaks (NEL, LS, PS), in scalars and in comments
  'a: b\u2029c\n',
  'a: "b\u2028c"\n',
  'a: |\n  b\u2028  c\n',
  'a: 1 # c\u2028b: 2\n',
  '# c\u0085b: 2\n',
  // characters go-yaml refuses: controls, a byte order mark inside the stream
  'a: b\u0001c\n',
  'a: "b\u007fc"\n',
  'a: b\ufeffc\n',
  'a: b\u00adc\n',
];

/** Nine levels of ten aliases each (10⁹ nodes): beyond go-yaml v2's limit on alias-driven decodes. */
export const EXCESSIVE_ALIASING: string = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]',
  ...Array.from({ length: 8 }, (_, i) => {
    const name = String.fromCharCode(98 + i);
    return `${name}: &${name} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`;
  })].join('\n');

/**
 * Strings a YAML writer must write so that go-yaml v2 reads them back unchanged: every resolver row's text (as a
 * string, so `0o17` must be quoted), the number forms the `yaml` package's YAML 1.1 schema writes plain, the merge key,
 * characters go-yaml refuses or takes for line breaks (in plain, quoted and multi-line text), and indicators.
 */
export const STRINGS_TO_WRITE: string[] = [
  ...SCALAR_ROWS.map(([text]) => text),
  '0o17', '0O17', '-0o17', '+0o17', '0o_17', '0X1F', '-0X1f', '0B101', '0b_101', '.5e1_0', '1e1_0', '1_0e1', '0x_1F', '<<', '<<<', '=',
  'a\u0085b', 'a\u2028b', 'a\u2029b', 'runAsUser: 1000 # uid\u2028privileged: true', '\u2028', 'x\u007fy', 'x\u0080y', 'x\u009fy',
  'x\ufffey', 'x\uffffy', 'x\ufeffy', 'x\u00a0y', 'it\'s "\u2028"', 'say "\u0085"', 'multi\nline\u2028text\n', 'a\nb\u0085\n\nc',
  'x\ud83d\ude00y', '\u{10ffff}', ' lead', 'trail ', '\ttab', 'a: b', '- x', '# no comment', 'key:', '? q', '!tag', '&anchor', '*alias',
  '%YAML', '@at', '`tick', '---', '...', '--- x', 'a\n---\nb', 'line\n', '\n', '\r\n', 'a\rb', '"', "'", '\\', '\\u2028', 'a\\ud800',
  // long enough (40 characters and more) for the `yaml` package to fold a double-quoted scalar over lines
  'a line long enough to be folded by the writer\nsecond line  \n  indented third\n\n\nafter blank lines ',
  'trailing spaces on a long first line of this text   \nthen\ttabs\t\nand \u2028 a line separator on the third',
  '  leading spaces and a long line that will be quoted and folded\n\u0085next line after NEL\n',
];
