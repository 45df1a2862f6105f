import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { PolicyPack, PolicyReport } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';

// Kubernetes' own PodSecurity admission fixtures (k8s.io/pod-security-admission test/testdata), one Pod per
// file: <level>/<version>/<pass|fail>/<check><n>.yaml, copied into test/fixtures/ (see its README).
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'pss-conformance');
const EXPECTED_FIXTURES = 1480;

interface Fixture {
  readonly file: string;
  readonly expected: 'pass' | 'fail';
  readonly manifest: any;
}

function folders(): Array<[string, string]> {
  return ['baseline', 'restricted'].flatMap((level) => readdirSync(path.join(FIXTURES, level)).sort()
    .map((version): [string, string] => [level, version]));
}

/** The fixture files of a folder, relative to FIXTURES. */
function files(level: string, version: string): Array<{ file: string; expected: 'pass' | 'fail' }> {
  return (['pass', 'fail'] as const).flatMap((expected) => readdirSync(path.join(FIXTURES, level, version, expected))
    .filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: `${level}/${version}/${expected}/${f}`, expected })));
}

function fixtures(level: string, version: string): Fixture[] {
  return files(level, version).map((f) => ({ ...f, manifest: parse(readFileSync(path.join(FIXTURES, f.file), 'utf8')) }));
}

function packOf(level: string, version: string): PolicyPack {
  return level === 'restricted' ? PolicyPack.restricted({ version }) : PolicyPack.baseline({ version });
}

/** The fixtures our pack judges differently from PodSecurity admission, with our findings. */
function disagreements(level: string, version: string): string[] {
  const all = fixtures(level, version);
  // One evaluation per folder: the fixtures are independent Pods (no Namespace objects, no selectors).
  const objects = all.map((f) => policyObject(f.manifest, f.file));
  const findings = PolicyReport._evaluate(objects, [packOf(level, version)], () => undefined).findings;
  const byFile = new Map<string, string[]>();
  for (const finding of findings) {
    byFile.set(finding.path, [...byFile.get(finding.path) ?? [], `${finding.ruleId}: ${finding.message}`]);
  }
  return all.flatMap((f) => {
    const found = byFile.get(f.file) ?? [];
    if (f.expected === 'fail' && found.length === 0) return [`${f.file}: admitted, upstream rejects it`];
    if (f.expected === 'pass' && found.length > 0) return [`${f.file}: rejected (${found.join('; ')}), upstream admits it`];
    return [];
  });
}

describe('Pod Security Standards conformance with upstream PodSecurity admission fixtures', () => {
  test(`the fixtures are there: ${EXPECTED_FIXTURES} Pods in baseline and restricted, v1.27 to v1.37`, () => {
    // GIVEN the shared fixture folder
    const count = folders().reduce((n, [level, version]) => n + files(level, version).length, 0);
    // THEN it holds every fixture, for both levels and every supported version
    expect(count).toBe(EXPECTED_FIXTURES);
    expect(folders().filter(([level]) => level === 'restricted').map(([, version]) => version))
      .toEqual(['v1.27', 'v1.28', 'v1.29', 'v1.30', 'v1.31', 'v1.32', 'v1.33', 'v1.34', 'v1.35', 'v1.36', 'v1.37']);
  });

  test.each(folders())('%s %s: every fail fixture has a finding, every pass fixture none', (level, version) => {
    // GIVEN the fixtures of a level and version, WHEN judged by the pack of that level at that version
    // THEN it agrees with PodSecurity admission on each of them
    expect(disagreements(level, version)).toEqual([]);
  });

  test('a pack judges at its own version: a v1.34 rejection is admitted at v1.33', () => {
    // GIVEN a fixture that only the v1.34 host-probe check rejects
    const file = path.join(FIXTURES, 'baseline', 'v1.37', 'fail', 'hostprobesandhostlifecycle0.yaml');
    const objects = [policyObject(parse(readFileSync(file, 'utf8')), 'probe')];
    const ids = (version: string) => PolicyReport._evaluate(objects, [PolicyPack.baseline({ version })], () => undefined)
      .findings.map((f) => f.ruleId);
    // THEN v1.34 and later report it, v1.33 does not
    expect(ids('v1.34')).toEqual(['PSS-HOST-PROBES']);
    expect(ids('latest')).toEqual(['PSS-HOST-PROBES']);
    expect(ids('v1.33')).toEqual([]);
  });
});
