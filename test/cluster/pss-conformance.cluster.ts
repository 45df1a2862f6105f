import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { PolicyPack, PolicyReport } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';
import { dryRunCreate, inParallel, namespaceWith, podSecurity, runSuffix } from '../support/kube-api';

// Kubernetes' own PodSecurity fixtures of v1.32 (test/fixtures/pss-conformance, copied from ../shared/pss-conformance),
// each a bare Pod dry-run into a namespace that enforces its level at v1.32: the real PodSecurity admission's verdict
// must be the fixture's, and the one our packs give offline (test/policy/pss-conformance.test.ts).
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'pss-conformance');
const VERSION = 'v1.32';
const run = runSuffix();

interface Verdict {
  readonly file: string;
  readonly expected: 'pass' | 'fail';
  readonly server: 'admitted' | 'rejected by PodSecurity' | string;
  readonly offline: 'admitted' | 'rejected';
  /** Fields the fixture sets that the server dropped or reset before admission (a feature gate that is off). */
  readonly altered: string[];
}

/** Fields the fixture sets that the stored object lacks or holds with another value, as paths. */
function alteredFields(sent: any, stored: any, at = ''): string[] {
  if (sent === null || typeof sent !== 'object') return sent === stored ? [] : [at];
  return Object.keys(sent).flatMap((key) => {
    const here = `${at}/${key}`;
    if (stored === null || typeof stored !== 'object' || !(key in stored)) return sent[key] === null ? [] : [here];
    return alteredFields(sent[key], stored[key], here);
  });
}

async function verdicts(level: 'baseline' | 'restricted'): Promise<Verdict[]> {
  const namespace = `pss-${level}-${run}`;
  await namespaceWith(namespace, podSecurity(level, VERSION));
  const pack = level === 'restricted' ? PolicyPack.restricted({ version: VERSION }) : PolicyPack.baseline({ version: VERSION });
  const files = (['pass', 'fail'] as const).flatMap((expected) => readdirSync(path.join(FIXTURES, level, VERSION, expected))
    .filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: `${level}/${VERSION}/${expected}/${f}`, expected })));
  return inParallel(files, 16, async ({ file, expected }): Promise<Verdict> => {
    const pod = parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
    const offline = PolicyReport._evaluate([policyObject(pod, file)], [pack], () => undefined).findings.length > 0 ? 'rejected' : 'admitted';
    // Upstream names them after the file (base_linux): a Pod's name is a DNS subdomain, and PodSecurity never reads it
    const name = String(pod.metadata.name).replace(/_/g, '-');
    const response = await dryRunCreate({ ...pod, metadata: { ...pod.metadata, name, namespace } });
    const message: string = response.body?.message ?? '';
    const server = response.status === 201 ? 'admitted'
      : response.status === 403 && /violates PodSecurity/.test(message) ? 'rejected by PodSecurity' : `${response.status}: ${message}`;
    // What the server did not see: the stored object of an admitted dry run, else the fixture admitted without its checks
    const altered = response.status === 201 ? alteredFields(pod.spec, response.body.spec, 'spec') : [];
    return { file, expected, server, offline, altered };
  });
}

describe(`PodSecurity admission of a real API server on the upstream ${VERSION} fixtures`, () => {
  test.each(['baseline', 'restricted'] as const)('%s: the server, the fixture and our pack agree on every Pod', async (level) => {
    // GIVEN every fixture of the level at v1.32, WHEN dry-run as a bare Pod into a namespace enforcing it
    const all = await verdicts(level);
    // THEN a pass fixture is admitted and a fail fixture rejected by PodSecurity, as our pack judges it offline; the only
    // exception is a fail fixture whose offending field the server resets before admission (procMount: the ProcMountType
    // feature gate is off in 1.32, so Unmasked becomes Default, and hostUsers beside it is dropped), admitted because the
    // field never reaches PodSecurity
    const disagreements = all.flatMap((v) => {
      const serverSaysFail = v.server === 'rejected by PodSecurity';
      if (v.server !== 'admitted' && !serverSaysFail) return [`${v.file}: ${v.server}`];
      if (v.expected === 'fail' && !serverSaysFail && v.altered.length > 0) return [];
      const problems: string[] = [];
      if (serverSaysFail !== (v.expected === 'fail')) problems.push(`${v.file}: server ${v.server}, upstream expects ${v.expected}`);
      if (serverSaysFail !== (v.offline === 'rejected')) problems.push(`${v.file}: server ${v.server}, our pack ${v.offline}`);
      return problems;
    });
    expect(disagreements).toEqual([]);
    // AND the fixtures were all judged, and the field-dropping exception covers procMount (with hostUsers) only
    expect(all.length).toBeGreaterThan(level === 'restricted' ? 80 : 30);
    const exempted = all.filter((v) => v.expected === 'fail' && v.server === 'admitted');
    expect(exempted.filter((v) => !v.altered.some((f) => /\/procMount$/.test(f))).map((v) => v.file)).toEqual([]);
    expect([...new Set(exempted.flatMap((v) => v.altered))].filter((f) => !/\/procMount$|^spec\/hostUsers$/.test(f))).toEqual([]);
  });
});
