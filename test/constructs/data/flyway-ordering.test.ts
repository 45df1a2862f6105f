import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-27';
import { FlywayMigrationJob, JobOrdering, Migrations, Policy } from '../../../src';
import { Manifest, only, podSpec, schemaFindings, synth, testChart } from '../../support/helpers';

function sqlDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'flyway-ordering-'));
  writeFileSync(path.join(dir, 'V1__init.sql'), 'CREATE TABLE car (id INT);');
  return dir;
}

function migrate(ordering: JobOrdering | undefined, migrations: Migrations = Migrations.fromDirectory(sqlDir())) {
  const { app, chart } = testChart();
  const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'pg-credentials');
  new FlywayMigrationJob(chart, 'migrate', { name: 'mydb-migrate', jdbcUrl: 'jdbc:postgresql://postgresql:5432/mydb', credentials, migrations, ordering });
  return { app, manifests: synth(chart) };
}

/** Where an object sorts, read from its annotations alone: the hook phase(s) and the weight or wave within them. */
interface Position {
  readonly phases: string[];
  readonly order: number;
}

function integer(text: string | undefined): number {
  // Helm and Argo CD parse weights and waves with Go's strconv.Atoi: an optional sign and decimal digits.
  expect(text).toMatch(/^[-+]?[0-9]+$/);
  const value = Number(text);
  expect(Number.isSafeInteger(value)).toBe(true);
  // An int32, so that 32-bit builds of the tools read it too.
  expect(value).toBeGreaterThanOrEqual(-2147483648);
  expect(value).toBeLessThanOrEqual(2147483647);
  return value;
}

/** Helm: hooks of an event run by ascending `helm.sh/hook-weight` (default 0). */
function helmPosition(m: Manifest): Position | undefined {
  const annotations = m.metadata.annotations ?? {};
  if (annotations['helm.sh/hook'] === undefined) return undefined;
  const weight = annotations['helm.sh/hook-weight'];
  return { phases: annotations['helm.sh/hook'].split(',').map((e: string) => e.trim()).sort(), order: weight === undefined ? 0 : integer(weight) };
}

/** Argo CD: hooks of a phase are applied by ascending `argocd.argoproj.io/sync-wave` (default: the Helm weight, else 0). */
function argoPosition(m: Manifest): Position | undefined {
  const annotations = m.metadata.annotations ?? {};
  if (annotations['argocd.argoproj.io/hook'] === undefined) return undefined;
  const wave = annotations['argocd.argoproj.io/sync-wave'] ?? annotations['helm.sh/hook-weight'];
  return { phases: annotations['argocd.argoproj.io/hook'].split(',').map((e: string) => e.trim()).sort(), order: wave === undefined ? 0 : integer(wave) };
}

/** What the Job needs to exist before it runs, found from the Job itself: ConfigMaps it mounts, NetworkPolicies selecting its pod, its ServiceAccount. */
function prerequisites(manifests: Manifest[], job: Manifest): Manifest[] {
  const spec = podSpec(job);
  const podLabels = job.spec.template.metadata.labels;
  const needed: Manifest[] = [];
  for (const volume of spec.volumes ?? []) {
    if (volume.configMap) needed.push(manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === volume.configMap.name)!);
  }
  for (const np of manifests.filter((m) => m.kind === 'NetworkPolicy')) {
    const match = np.spec.podSelector.matchLabels ?? {};
    if (Object.entries(match).every(([k, v]) => podLabels[k] === v)) needed.push(np);
  }
  if (spec.serviceAccountName && spec.serviceAccountName !== 'default') {
    needed.push(manifests.find((m) => m.kind === 'ServiceAccount' && m.metadata.name === spec.serviceAccountName)!);
  }
  needed.forEach((n) => expect(n).toBeDefined());
  return needed;
}

describe('FlywayMigrationJob ordering: every prerequisite sorts strictly before the Job', () => {
  test.each<[string, JobOrdering, (m: Manifest) => Position | undefined]>([
    ['Helm default (pre-install,pre-upgrade, weight -5)', JobOrdering.helmHook(), helmPosition],
    ['Helm post-install at weight 3', JobOrdering.helmHook('post-install', 3), helmPosition],
    ['Helm with blanks in the event list', JobOrdering.helmHook('pre-upgrade, pre-install', 0), helmPosition],
    ['Argo CD default (PreSync, wave -1)', JobOrdering.argoCdPreSync(), argoPosition],
    ['Argo CD PreSync at wave 7', JobOrdering.argoCdPreSync(7), argoPosition],
    ['Argo CD at the lowest wave allowed', JobOrdering.argoCdPreSync(-2147483647), argoPosition],
  ])('%s', (_, ordering, position) => {
    // GIVEN / WHEN
    const { manifests } = migrate(ordering);
    const job = only(manifests, 'Job');
    const needed = prerequisites(manifests, job);

    // THEN every prerequisite is a hook of exactly the Job's phases, with a lower weight or wave
    expect(needed.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'NetworkPolicy']);
    const jobPosition = position(job)!;
    expect(jobPosition).toBeDefined();
    for (const m of needed) {
      const p = position(m);
      expect(p).toBeDefined();
      expect(p!.phases).toEqual(jobPosition.phases);
      expect(p!.order).toBeLessThan(jobPosition.order);
    }
    // and sorted as the tools sort (weight or wave first), the Job comes last
    const sorted = [...manifests].sort((a, b) => position(a)!.order - position(b)!.order);
    expect(sorted[sorted.length - 1].kind).toBe('Job');
  });

  test('the ordered output stays schema-valid with zero findings', () => {
    // GIVEN / WHEN
    for (const ordering of [JobOrdering.helmHook(), JobOrdering.argoCdPreSync()]) {
      const { app, manifests } = migrate(ordering);
      // THEN
      expect(schemaFindings(manifests)).toEqual([]);
      expect(Policy.report(app).findings).toEqual([]);
    }
  });

  test('Helm hooks are recreated before each run, and the Job keeps its annotations', () => {
    // GIVEN / WHEN
    const { manifests } = migrate(JobOrdering.helmHook());
    // THEN
    expect(only(manifests, 'Job').metadata.annotations).toEqual({
      'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-5', 'helm.sh/hook-delete-policy': 'before-hook-creation',
    });
    expect(only(manifests, 'ConfigMap').metadata.annotations).toEqual({
      'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-6', 'helm.sh/hook-delete-policy': 'before-hook-creation',
    });
  });

  test('image migrations: the NetworkPolicy still comes first', () => {
    // GIVEN / WHEN
    const { manifests } = migrate(JobOrdering.argoCdPreSync(2), Migrations.fromImage('quay.io/acme/flyway-mydb:2.0.0'));
    // THEN
    expect(manifests.map((m) => m.kind)).toEqual(['Job', 'NetworkPolicy']);
    expect(argoPosition(only(manifests, 'NetworkPolicy'))!.order).toBeLessThan(argoPosition(only(manifests, 'Job'))!.order);
  });

  test('without an ordering, nothing is a hook', () => {
    // GIVEN / WHEN
    const { manifests } = migrate(undefined);
    // THEN
    for (const m of manifests) expect(m.metadata.annotations).toBeUndefined();
  });
});

describe('FlywayMigrationJob ordering: hostile input', () => {
  test.each<[string, () => JobOrdering, RegExp]>([
    ['an unknown Helm event', () => JobOrdering.helmHook('pre-install,pre-migrate'), /Helm hook event "pre-migrate".*is not one Helm knows.*pre-install, post-install/],
    ['Helm 2\'s crd-install', () => JobOrdering.helmHook('crd-install'), /Helm hook event "crd-install"/],
    ['an empty event list', () => JobOrdering.helmHook(''), /Helm hook event ""/],
    ['an event with a trailing comma', () => JobOrdering.helmHook('pre-install,'), /Helm hook event ""/],
    ['an upper-case event', () => JobOrdering.helmHook('PRE-INSTALL'), /Helm hook event "PRE-INSTALL"/],
    ['a repeated event', () => JobOrdering.helmHook('pre-install,pre-install'), /"pre-install" is listed twice/],
    ['a fractional weight', () => JobOrdering.helmHook('pre-install', 1.5), /the Helm hook weight \(JobOrdering.helmHook\) 1.5 is not a whole number/],
    ['a NaN weight', () => JobOrdering.helmHook('pre-install', NaN), /the Helm hook weight .* NaN is not a whole number/],
    ['a weight beyond int32', () => JobOrdering.helmHook('pre-install', 2 ** 31), /2147483648 is not a whole number/],
    ['a weight whose prerequisites would leave int32', () => JobOrdering.helmHook('pre-install', -2147483648), /-2147483648 is not a whole number from -2147483647/],
    ['a fractional wave', () => JobOrdering.argoCdPreSync(0.5), /the Argo CD sync wave \(JobOrdering.argoCdPreSync\) 0.5 is not a whole number/],
    ['an infinite wave', () => JobOrdering.argoCdPreSync(-Infinity), /-Infinity is not a whole number/],
    ['a wave given as a string (JavaScript)', () => JobOrdering.argoCdPreSync('1' as any), /the Argo CD sync wave .*"1" is not a whole number/],
    ['events given as a list (JavaScript)', () => JobOrdering.helmHook(['pre-install'] as any), /the Helm hook events \(JobOrdering.helmHook\) is a list, not a string/],
  ])('%s is refused with the construct path', (_, ordering, message) => {
    // GIVEN / WHEN / THEN
    expect(() => migrate(ordering())).toThrow(message);
    expect(() => migrate(ordering())).toThrow(/^FlywayMigrationJob shop\/migrate: /);
  });

  test('an ordering that is not a JobOrdering (JavaScript)', () => {
    // GIVEN / WHEN / THEN
    expect(() => migrate({ 'helm.sh/hook': 'pre-install' } as any)).toThrow(/FlywayMigrationJob shop\/migrate: ordering is an object, not a JobOrdering/);
    expect(() => migrate('argocd' as any)).toThrow(/ordering is a string, not a JobOrdering/);
  });
});
