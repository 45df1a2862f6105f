import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { runCheck } from '../../src/cli/check';
import { readKubernetesYaml } from '../../src/parsers/kube-yaml';
import { stringifyKubernetesYaml } from '../../src/parsers/kube-yaml-writer';
import { create, inParallel, namespaceWith, podSecurity, request, runSuffix } from '../support/kube-api';
import {
  EXCESSIVE_ALIASING, GO_YAML_DECODE_TESTS, GO_YAML_MERGE_TESTS, HOSTILE_DOCUMENTS, MAPPING_ROWS, REFUSED_SCALARS, SCALAR_ROWS, STRINGS_TO_WRITE,
} from '../support/yaml-cases';

// The YAML reader (`parseKubernetesYaml`, what `cdk8s-hardened check` reads) against the API server's own decoding of
// `application/yaml` (sigs.k8s.io/yaml over go-yaml v2, the family kubectl decodes with): the same bytes go to both, and
// what the server stores in a dry run must be what the reader read. The cases are the reader's differential tables
// (test/support/yaml-cases.ts), each document placed under the `spec` of a custom resource that keeps any value.
// Stream splitting (`---` lines, JSON objects back to back) is kubectl's, on the client: the server decodes one object.
const EXAMPLES = path.join(__dirname, '..', '..', 'dist', 'examples');
const run = runSuffix();
const GROUP = 'reader.cdk8s-hardened.test';
const namespace = `yaml-${run}`;
const COLLECTION = `/apis/${GROUP}/v1/namespaces/${namespace}/yamlcases`;

/** A custom resource whose spec keeps any YAML value as decoded (no type, unknown fields preserved). */
const CASE_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `yamlcases.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: { plural: 'yamlcases', singular: 'yamlcase', kind: 'YamlCase' },
    versions: [{
      name: 'v1',
      served: true,
      storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { 'x-kubernetes-preserve-unknown-fields': true } } } },
    }],
  },
};

interface Case {
  readonly name: string;
  readonly yaml: string;
}

const CASES: Case[] = [
  ...GO_YAML_DECODE_TESTS.unmarshalTests.map((t) => ({ name: `decode_test.go:${t.line}`, yaml: t.yaml })),
  ...GO_YAML_DECODE_TESTS.unmarshalErrorTests.map((t) => ({ name: `decode_test.go:${t.line} (an error upstream)`, yaml: t.yaml })),
  { name: 'merge_test.yaml', yaml: GO_YAML_MERGE_TESTS },
  ...[...SCALAR_ROWS, ...REFUSED_SCALARS].map(([text]) => ({ name: `v: ${text}`, yaml: `v: ${text}\n` })),
  ...MAPPING_ROWS.map(([yaml]) => ({ name: 'mapping', yaml })),
  { name: 'excessive aliasing', yaml: EXCESSIVE_ALIASING },
  ...HOSTILE_DOCUMENTS.map((yaml) => ({ name: 'hostile', yaml })),
];

/** The custom resource's YAML with the case's lines, each indented two spaces (after any YAML 1.1 line break), as its spec. */
function embedded(yaml: string, index: number): string {
  const lines = yaml.replace(/(^|\n|\x85|\u2028|\u2029)(?=[^\n])/g, '$1  ');
  return `apiVersion: ${GROUP}/v1\nkind: YamlCase\nmetadata:\n  name: case-${index}\n  namespace: ${namespace}\nspec:\n${lines}\n`;
}

/** A verdict: the JSON of the value read (keys sorted), or `refused: <why>`. */
type Reading = { readonly value: string } | { readonly refused: string };

/** JSON with every object's keys sorted (the server stores maps with sorted keys). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

function readerReads(text: string): Reading {
  try {
    const documents = readKubernetesYaml(text, 'case.yaml');
    if (documents.length !== 1) return { refused: `${documents.length} documents` };
    return { value: canonical((documents[0].value as any).spec) };
  } catch (e) {
    return { refused: (e as Error).message };
  }
}

async function serverStores(text: string, contentType: string): Promise<Reading & { warnings: string[] }> {
  // fieldValidation=Warn, the server's default: a duplicate key is a warning there and the later one is kept
  const response = await request('POST', `${COLLECTION}?dryRun=All&fieldValidation=Warn`, Buffer.from(text, 'utf8'), contentType);
  // (a null spec is left out of the stored object: a custom resource's null fields are, unless nullable)
  if (response.status === 201) return { value: canonical(response.body.spec ?? null), warnings: response.warnings };
  return { refused: `${response.status} ${response.body?.message ?? response.body}`, warnings: response.warnings };
}

/**
 * What the reader refuses though the server reads it, on purpose (`check` then fails with the reason, never passes):
 * - keys that collide once spelled out (1 and "1"): sigs.k8s.io/yaml keeps whichever Go's map iteration gives first
 *   (proven below), so no reading is the server's;
 * - NEL, LS and PS, line breaks to go-yaml v2 (YAML 1.1) and not to YAML 1.2 readers: the key after one in a comment is
 *   content to kubectl and hidden from a YAML 1.2 reader, so a document that holds one is refused, wherever it is.
 */
const REFUSED_ON_PURPOSE = [/two keys become .* in JSON/, /is a line break for kubectl \(YAML 1\.1\)/];

/** Where the reader and the server differ on one text, or undefined where they agree. */
function difference(name: string, text: string, reader: Reading, server: Reading): string | undefined {
  if ('value' in reader && 'value' in server) return reader.value === server.value ? undefined : `${name} ${JSON.stringify(text)}: reader ${reader.value}, server ${server.value}`;
  if ('refused' in reader && 'refused' in server) return undefined;
  if ('refused' in reader && REFUSED_ON_PURPOSE.some((reason) => reason.test(reader.refused))) return undefined;
  return `${name} ${JSON.stringify(text)}: reader ${'value' in reader ? reader.value : `refused (${reader.refused})`}, `
    + `server ${'value' in server ? server.value : `refused (${server.refused})`}`;
}

beforeAll(async () => {
  await create(CASE_CRD);
  for (let i = 0; i < 300; i++) {
    const crd = await request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/yamlcases.${GROUP}`);
    const served = await request('GET', `/apis/${GROUP}/v1`);
    if (crd.body?.status?.conditions?.some((c: any) => c.type === 'Established' && c.status === 'True') && served.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await namespaceWith(namespace, {}, []);
}, 60_000);

describe('the YAML reader decodes as the API server does', () => {
  test('every case of the differential tables: the server stores what the reader read, or both refuse it', async () => {
    // GIVEN every case of the reader's tables, as the spec of a custom resource
    const texts = CASES.map((c, i) => ({ name: c.name, text: embedded(c.yaml, i) }));
    // WHEN the same bytes are read by the reader and sent to the server as application/yaml (a dry run)
    const results = await inParallel(texts, 8, async ({ name, text }) => ({ name, text, reader: readerReads(text), server: await serverStores(text, 'application/yaml') }));
    // THEN they agree on every one
    expect(results.map((r) => difference(r.name, r.text, r.reader, r.server)).filter((d) => d !== undefined)).toEqual([]);
    // AND the tables exercised both sides: many values stored, some refused, duplicate keys warned of (and the later kept)
    expect(results.filter((r) => 'value' in r.server).length).toBeGreaterThan(240);
    expect(results.filter((r) => 'refused' in r.server).length).toBeGreaterThan(10);
    expect(results.some((r) => r.server.warnings.some((w) => /already set in map/.test(w)))).toBe(true);
  });

  test('every document the examples synthesize (dist/examples): the server reads what the reader reads', async () => {
    // GIVEN each document of every example's manifests as cdk8s wrote it (split at its --- lines)
    const documents = readdirSync(EXAMPLES).flatMap((example) => readdirSync(path.join(EXAMPLES, example)).filter((f) => f.endsWith('.k8s.yaml'))
      .flatMap((f) => readFileSync(path.join(EXAMPLES, example, f), 'utf8').split(/^---\n/m).map((yaml) => ({ name: `${example}/${f}`, yaml }))));
    expect(documents.length).toBeGreaterThan(250);
    // WHEN each is read by the reader and by the server, as the spec of a custom resource
    const results = await inParallel(documents.map((d, i) => ({ name: d.name, text: embedded(d.yaml, 10_000 + i) })), 8,
      async ({ name, text }) => ({ name, text, reader: readerReads(text), server: await serverStores(text, 'application/yaml') }));
    // THEN both read every one, alike
    expect(results.map((r) => ('refused' in r.reader ? `${r.name}: reader refused` : difference(r.name, r.text, r.reader, r.server)))
      .filter((d) => d !== undefined)).toEqual([]);
  });

  test('JSON bodies: duplicate keys, escapes, number forms and prototype keys are read as the server reads them', async () => {
    // GIVEN JSON objects whose spec holds what JSON readers disagree on
    const specs = [
      '{"a": 1, "a": 2}', '{"privileged": true, "privileged": false}', '{"a": {"b": 1}, "a": {"c": 2}}', '{"privil\\u0065ged": true}',
      '{"a": 1.0, "b": -0, "c": 1e3, "d": 12345678901234567890, "e": 0.1}', '{"__proto__": {"polluted": true}}', '{"a": 1e400}',
      '{"a": "\\ud800"}', '{"a": [1, 2,]}', '{"a": 01}', '{"a": NaN}', '{"a": 1} ',
    ];
    const texts = specs.map((spec, i) => `{"apiVersion": "${GROUP}/v1", "kind": "YamlCase", "metadata": {"name": "json-${i}", "namespace": "${namespace}"}, "spec": ${spec}}`);
    // WHEN each is read by the reader and sent as kubectl sends it: as application/json, or as YAML where it is not JSON
    // (kubectl reads a stream whose first object is not JSON as YAML)
    const isJson = (text: string) => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    };
    const results = await inParallel(texts, 8, async (text) => ({
      text, reader: readerReads(text), server: await serverStores(text, isJson(text) ? 'application/json' : 'application/yaml'),
    }));
    // THEN they agree
    expect(results.map((r) => difference('json', r.text, r.reader, r.server)).filter((d) => d !== undefined)).toEqual([]);
    expect(({} as any).polluted).toBeUndefined();
  });

  test('keys that collide once spelled out: the server keeps either value at random, so the reader refuses the document', async () => {
    // GIVEN a mapping with the keys 1 and "1"
    const text = embedded('1: a\n"1": b\n', 9999);
    // WHEN the server decodes it again and again
    const kept = new Set<string>();
    for (let i = 0; i < 64 && kept.size < 2; i++) {
      const stored = await serverStores(text, 'application/yaml');
      if ('value' in stored) kept.add(stored.value);
    }
    // THEN it kept each of the two values at some point: no reading of the document is the server's
    expect([...kept].sort()).toEqual(['{"1":"a"}', '{"1":"b"}']);
    expect(readerReads(text)).toEqual({ refused: expect.stringMatching(/two keys become "1" in JSON/) });
  });
});

describe('the YAML a HardenedApp writes reads back on the server as the manifests it checked', () => {
  test('every string of the writer\'s table, as a value, a key and a list item: stored unchanged, where cdk8s\'s text is not', async () => {
    // GIVEN a custom resource per string, holding it as a value, a key and a list item of its spec
    const manifests = STRINGS_TO_WRITE.map((text, i) => ({
      apiVersion: `${GROUP}/v1`, kind: 'YamlCase', metadata: { name: `written-${i}`, namespace }, spec: { value: text, [text]: 'key', list: [text] },
    }));
    // WHEN each is written by the HardenedApp's writer and by cdk8s's, and the bytes posted as application/yaml
    const results = await inParallel(manifests, 8, async (manifest) => ({
      expected: canonical(manifest.spec),
      ours: await serverStores(stringifyKubernetesYaml([manifest]), 'application/yaml'),
      cdk8s: await serverStores(Yaml.stringify(manifest), 'application/yaml'),
    }));
    // THEN the server stores every string the writer wrote as it was
    expect(results.filter((r) => !('value' in r.ours) || r.ours.value !== r.expected).map((r) => `${r.expected}: ${JSON.stringify(r.ours)}`)).toEqual([]);
    // AND cdk8s's writer alone would have had numbers, a merge or folded lines stored (or the document refused)
    const cdk8sMisread = results.filter((r) => !('value' in r.cdk8s) || r.cdk8s.value !== r.expected);
    expect(cdk8sMisread.length).toBeGreaterThanOrEqual(10);
  });
});

describe('a privileged container, however the YAML spells it: check finds it exactly when PodSecurity refuses it', () => {
  /** A Pod whose container's securityContext is the given YAML lines (indented under it). */
  const pod = (name: string, securityContext: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}-baseline\n`
    + `spec:\n  containers:\n  - name: app\n    image: registry.example/app:1\n    securityContext:\n${securityContext.split('\n').map((l) => `      ${l}`).join('\n')}\n`;
  const SPELLINGS = [
    'privileged: true', 'privileged: yes', 'privileged: on', 'privileged: Y', 'privileged: TRUE', 'privileged: !!bool "true"', 'privileged: ! true',
    'privileged: tRUE', 'privileged: "true"', 'privileged: 1', 'privileged: true#c', 'privileged: true # c', 'privileged : true',
    '"privileged": On', '? privileged\n: true', '! privileged: true', '!!str privileged: true', '"privil\\u0065ged": true', 'Privileged: true',
    'privileged: false\nprivileged: true', 'privileged: true\nprivileged: false', '<<: {privileged: true}', '<<: {privileged: true}\nprivileged: false',
    'privileged: false\n<<: {privileged: true}', '<<: [{privileged: false}, {privileged: true}]', '<<: [{privileged: true}, {privileged: false}]',
    'privileged:\n  true', 'privileged: |\n  true', 'privileged: &p true', 'privileged: &p yes\nallowPrivilegeEscalation: *p',
    'privileged: \u00a0true', 'privileged: true\r', 'privileged:\ttrue', 'privileged: ~', 'privileged: n', 'privileged: off',
    // a key after a YAML 1.1 line break (NEL, LS, PS) in a comment or a scalar: content to kubectl, not to YAML 1.2
    ...['\x85', '\u2028', '\u2029'].flatMap((lineBreak) => [
      `runAsUser: 1000 # the uid${lineBreak}      privileged: true`, `capabilities: {}${lineBreak}      privileged: true`,
    ]),
    'privileged: "\\/"', 'privileged: tru\u0001e', 'privileged: true\u00ad', 'privileged: true\ufeff',
  ];

  beforeAll(async () => {
    // a namespace that enforces baseline: PodSecurity refuses a privileged container, and little else these pods have
    await namespaceWith(`${namespace}-baseline`, podSecurity('baseline', 'v1.32'));
  });

  test.each(SPELLINGS.map((s, i) => [JSON.stringify(s), i, s]))('%s', async (_, index, securityContext) => {
    // GIVEN the pod's bytes
    const text = pod(`spelling-${index}`, securityContext as string);
    // WHEN the server receives them as application/yaml (a dry run), and check reads them
    const response = await request('POST', `/api/v1/namespaces/${namespace}-baseline/pods?dryRun=All&fieldValidation=Warn`, Buffer.from(text, 'utf8'), 'application/yaml');
    const checked = runCheck(['-', '--packs', 'pss-baseline', '--format', 'json'], () => text);
    // THEN check refuses to read the pod (status 2, with the reason: never a pass), or: where the server admits the pod,
    // check finds no privileged container; where PodSecurity refuses it as privileged, check finds one; a pod the
    // server cannot decode (a string where a boolean goes) cannot be applied, whatever check says of it
    if (checked.status === 2) {
      expect(checked.output).toMatch(/cdk8s-hardened check: .*<stdin>.*; /);
      return;
    }
    const refusedAsPrivileged = response.status === 403 && /privileged/.test(String(response.body?.message));
    const findings = JSON.parse(checked.output).findings.filter((f: any) => f.ruleId === 'PSS-PRIVILEGED');
    if (response.status === 201) {
      expect({ stored: response.body.spec.containers[0].securityContext?.privileged ?? false, findings }).toEqual({ stored: false, findings: [] });
    } else if (refusedAsPrivileged) {
      expect(findings).toEqual([expect.objectContaining({ ruleId: 'PSS-PRIVILEGED' })]);
    } else {
      expect(response.status).toBe(400);
    }
  });
});
