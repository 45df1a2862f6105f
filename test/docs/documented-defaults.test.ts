// The `@default` of each main option, read from the TypeScript sources (what API.md and the other languages'
// docs are generated from), is what the code does when the option is left out.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as ts from 'typescript';
import * as api from '../../src';
import {
  AdmissionPolicies, CanaryPair, DefaultDenyNamespace, EgressAllowlist, EgressTarget, ExternalAddress, ExternalMongoService, FlywayMigrationJob,
  HealthProbe, Migrations, Policy, PolicyPack, PostgresDatabase, PostgresDatabaseProps, SecureDeployment, SecureDeploymentProps,
  SecureStatefulSet, SecureStatefulSetProps, BlueGreenDeployment, BlueGreenDeploymentProps, BlueGreenSlot, PreviewTest, PreviewTestProps,
} from '../../src';
import { packsByName } from '../../src/policy/pack-names';
import { Manifest, synth, testChart } from '../support/helpers';

const SRC = path.join(__dirname, '..', '..', 'src');

/** Every `@default` of an interface property under src/ (generated imports aside), by `Interface.property`. */
function readDocumentedDefaults(): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'imports') visit(file);
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      for (const statement of source.statements) {
        if (!ts.isInterfaceDeclaration(statement)) continue;
        for (const member of statement.members) {
          const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === 'default');
          if (tag && member.name && ts.isIdentifier(member.name)) {
            found.set(`${statement.name.text}.${member.name.text}`, ts.getTextOfJSDocComment(tag.comment)?.trim() ?? '');
          }
        }
      }
    }
  };
  visit(SRC);
  return found;
}

const DOCUMENTED = readDocumentedDefaults();

function documented(key: string): string {
  const text = DOCUMENTED.get(key);
  if (text === undefined) throw new Error(`${key} has no @default in src/`);
  return text;
}

/** The names a `@default` may refer to: the public API, and cdk8s's Duration. */
const SCOPE: { [name: string]: any } = { ...api, Duration };

/** The value a `@default` names: a JSON literal, or `Class.MEMBER` / `Class.factory(json args)` of the public API. */
function evaluate(text: string): unknown {
  if (/^("[^"]*"|-?[0-9]+(\.[0-9]+)?|true|false|\{.*\}|\[.*\])$/.test(text)) return JSON.parse(text);
  const reference = /^([A-Z][A-Za-z0-9]*)\.([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?$/.exec(text);
  const owner = reference ? SCOPE[reference[1]] : undefined;
  if (!reference || owner === undefined || !(reference[2] in owner)) {
    throw new Error(`@default ${text} is neither a JSON literal nor a member of the public API`);
  }
  const member = owner[reference[2]];
  return reference[3] === undefined ? member : member.apply(owner, JSON.parse(`[${reference[3]}]`));
}

/** The props with one option set, or left out when the value is undefined. */
const withOption = (name: string, value: unknown): { [name: string]: unknown } => (value === undefined ? {} : { [name]: value });

const IMAGE = 'ghcr.io/acme/web:1.4.2';

function deployment(props: Partial<SecureDeploymentProps>): Manifest[] {
  const { chart } = testChart();
  new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, ...props });
  return synth(chart);
}

function namespace(option: string, value: unknown): Manifest[] {
  const { chart } = testChart();
  new DefaultDenyNamespace(chart, 'ns', { name: 'shop', ...withOption(option, value) });
  return synth(chart);
}

function quota(option: string, value: unknown): Manifest[] {
  const { chart } = testChart();
  new DefaultDenyNamespace(chart, 'ns', { name: 'shop', quota: withOption(option, value) });
  return synth(chart);
}

function canary(option: string, value: unknown): Manifest[] {
  const { chart } = testChart();
  new CanaryPair(chart, 'reco', {
    port: 8080, stable: { image: 'ghcr.io/acme/reco:1.0.0' }, canary: { image: 'ghcr.io/acme/reco:1.1.0' }, ...withOption(option, value),
  });
  return synth(chart);
}

function mongo(option: string, value: unknown): Manifest[] {
  const { chart } = testChart();
  const db = new ExternalMongoService(chart, 'mongo', {
    address: ExternalAddress.ip('10.200.0.2'),
    database: 'dev',
    credentials: kplus.Secret.fromSecretName(chart, 'creds', 'mongo-credentials'),
    ...withOption(option, value),
  });
  new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, env: db.env() });
  return synth(chart);
}

function egress(option: string, value: unknown): Manifest[] {
  const { chart } = testChart();
  const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080 });
  new EgressAllowlist(chart, 'egress', { workload: web, allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })], ...withOption(option, value) });
  return synth(chart);
}

function statefulSet(props: Partial<SecureStatefulSetProps>): Manifest[] {
  const { chart } = testChart();
  new SecureStatefulSet(chart, 'queue', { image: IMAGE, port: 5672, storage: { size: Size.gibibytes(1), mountPath: '/data' }, ...props });
  return synth(chart);
}

function postgres(props: Partial<PostgresDatabaseProps>): Manifest[] {
  const { chart } = testChart();
  const credentials = kplus.Secret.fromSecretName(chart, 'credentials', 'db');
  new PostgresDatabase(chart, 'db', { image: 'postgres:17.6', database: 'app', credentials, storage: { size: Size.gibibytes(1) }, ...props });
  return synth(chart);
}

function blueGreen(props: Partial<BlueGreenDeploymentProps>): Manifest[] {
  const { chart } = testChart();
  new BlueGreenDeployment(chart, 'shop', { port: 8080, active: BlueGreenSlot.BLUE, blue: { image: IMAGE }, green: { image: 'ghcr.io/acme/web:2.0.0' }, ...props });
  return synth(chart);
}

function previewTest(props: Partial<PreviewTestProps>): Manifest[] {
  const { chart } = testChart();
  const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080 });
  new PreviewTest(chart, 'smoke', { target: { host: 'web', port: 8080, workload: web }, image: 'ghcr.io/acme/tests:1.0.0', ...props });
  return synth(chart);
}

const SQL = mkdtempSync(path.join(tmpdir(), 'documented-defaults-'));
writeFileSync(path.join(SQL, 'V1__init.sql'), 'CREATE TABLE car (id INT);');

function flyway(option: string, value: unknown): Manifest[] {
  const { chart } = testChart();
  new FlywayMigrationJob(chart, 'migrate', {
    jdbcUrl: 'jdbc:postgresql://postgresql:5432/mydb',
    credentials: kplus.Secret.fromSecretName(chart, 'creds', 'pg-credentials'),
    migrations: Migrations.fromDirectory(SQL),
    ...withOption(option, value),
  });
  return synth(chart);
}

function admission(option: string, value: unknown): Manifest[] {
  const { chart } = testChart();
  new AdmissionPolicies(chart, 'guard', withOption(option, value));
  return synth(chart);
}

const metrics = (option: string, value: unknown) => deployment({ metrics: { port: 9090, ...withOption(option, value) } });
const probe = (option: string, value: unknown) => deployment({ readiness: HealthProbe.http('/healthz', withOption(option, value)) });

/** What the code produces with the option left out (undefined) or set to a value, per `Interface.property`. */
const OPTIONS: Array<[string, (value: unknown) => unknown]> = [
  ['PodSecurityOptions.version', (value) => PolicyPack.restricted(withOption('version', value))],
  ['HardenedValidationProps.podSecurityVersion', (value) => packsByName('test', 'packs', undefined, value as string | undefined)],
  ['DefaultDenyNamespaceProps.podSecurityLevel', (value) => namespace('podSecurityLevel', value)],
  ['DefaultDenyNamespaceProps.acceptWeakerPodSecurity', (value) => namespace('acceptWeakerPodSecurity', value)],
  ['DefaultDenyNamespaceProps.podSecurityVersion', (value) => namespace('podSecurityVersion', value)],
  ['DefaultDenyNamespaceProps.dns', (value) => namespace('dns', value)],
  ...['requestsCpu', 'limitsCpu', 'requestsMemory', 'limitsMemory', 'limitsEphemeralStorage', 'pods', 'persistentVolumeClaims', 'loadBalancers', 'nodePorts']
    .map((option): [string, (value: unknown) => unknown] => [`NamespaceQuotaOptions.${option}`, (value) => quota(option, value)]),
  ...['replicas', 'exposeService', 'revisionHistoryLimit']
    .map((option): [string, (value: unknown) => unknown] => [`SecureDeploymentProps.${option}`, (value) => deployment(withOption(option, value))]),
  ...['portName', 'user', 'requireImageDigest']
    .map((option): [string, (value: unknown) => unknown] => [`HardenedWorkloadProps.${option}`, (value) => deployment(withOption(option, value))]),
  ...['replicas', 'revisionHistoryLimit']
    .map((option): [string, (value: unknown) => unknown] => [`SecureStatefulSetProps.${option}`, (value) => statefulSet(withOption(option, value))]),
  ['PersistentStorageOptions.name', (value) => statefulSet({ storage: { size: Size.gibibytes(1), mountPath: '/data', ...withOption('name', value) } })],
  ...['username', 'passwordKey', 'replicas', 'requireImageDigest']
    .map((option): [string, (value: unknown) => unknown] => [`PostgresDatabaseProps.${option}`, (value) => postgres(withOption(option, value))]),
  ...['keepPrevious', 'routing'].map((option): [string, (value: unknown) => unknown] => [`BlueGreenDeploymentProps.${option}`, (value) => blueGreen(withOption(option, value))]),
  ['BlueGreenVersion.replicas', (value) => blueGreen({ green: { image: 'ghcr.io/acme/web:2.0.0', ...withOption('replicas', value) } })],
  ...['ordering', 'timeout', 'user'].map((option): [string, (value: unknown) => unknown] => [`PreviewTestProps.${option}`, (value) => previewTest(withOption(option, value))]),
  ...['certificateKey', 'privateKeyKey'].map((option): [string, (value: unknown) => unknown] => [`PostgresTlsOptions.${option}`,
    (value) => postgres({ tls: { secret: kplus.Secret.fromSecretName(testChart().chart, 'tls', 'db-tls'), ...withOption(option, value) } })]),
  ['AutoscalingOptions.minReplicas', (value) => deployment({ autoscaling: { maxReplicas: 10, ...withOption('minReplicas', value) } })],
  ['AutoscalingOptions.cpuTargetPercent', (value) => deployment({ autoscaling: { maxReplicas: 10, ...withOption('cpuTargetPercent', value) } })],
  ...['path', 'interval', 'prometheusNamespace', 'prometheusPodLabels']
    .map((option): [string, (value: unknown) => unknown] => [`MetricsOptions.${option}`, (value) => metrics(option, value)]),
  ...['period', 'timeout', 'failureThreshold']
    .map((option): [string, (value: unknown) => unknown] => [`HealthProbeOptions.${option}`, (value) => probe(option, value)]),
  ['HttpHealthProbeOptions.https', (value) => probe('https', value)],
  ['EgressAllowlistProps.mode', (value) => egress('mode', value)],
  ...['canaryWeight', 'routing', 'user'].map((option): [string, (value: unknown) => unknown] => [`CanaryPairProps.${option}`, (value) => canary(option, value)]),
  ...['port', 'usernameKey', 'passwordKey', 'authSource', 'tls', 'srv']
    .map((option): [string, (value: unknown) => unknown] => [`ExternalMongoServiceProps.${option}`, (value) => mongo(option, value)]),
  ...['image', 'user', 'usernameKey', 'passwordKey', 'connectRetries', 'backoffLimit', 'activeDeadline', 'ttlAfterFinished']
    .map((option): [string, (value: unknown) => unknown] => [`FlywayMigrationJobProps.${option}`, (value) => flyway(option, value)]),
  ...['action', 'excludedNamespaces'].map((option): [string, (value: unknown) => unknown] => [`AdmissionPoliciesProps.${option}`, (value) => admission(option, value)]),
];

describe('documented defaults', () => {
  afterAll(() => rmSync(SQL, { recursive: true }));

  test.each(OPTIONS)('%s: the @default is what the code does without the option', (key, produce) => {
    // GIVEN the documented default, read from the source
    const value = evaluate(documented(key));
    // WHEN the option is left out, and set to that value
    // THEN the output is the same
    expect(produce(undefined)).toEqual(produce(value));
  });

  test('the comparison has teeth: a different documented value would fail', () => {
    // GIVEN a default the code does not use (SecureDeployment's replicas documented as 3)
    const produce = (value: unknown) => deployment(withOption('replicas', value));
    // THEN the outputs differ
    expect(produce(undefined)).not.toEqual(produce(evaluate('3')));
    expect(() => evaluate('- a description')).toThrow(/neither a JSON literal nor a member of the public API/);
    expect(() => evaluate('PolicyPack.NOT_A_PACK')).toThrow(/neither a JSON literal nor a member of the public API/);
  });

  test('PolicyOptions.packs lists the packs of PolicyPack.defaults(), which Policy.report applies', () => {
    const named = [...documented('PolicyOptions.packs').matchAll(/PolicyPack\.([A-Z_]+)\b/g)].map((m) => (evaluate(m[0]) as PolicyPack).name);
    expect(named).toEqual(PolicyPack.defaults().map((pack) => pack.name));
    const { app } = testChart();
    expect(Policy.report(app).scores.map((score) => score.pack)).toEqual(named);
  });

  test('AdmissionPoliciesProps.packs: the packs it names are what the policies compile', () => {
    // GIVEN "- PolicyPack.defaults()"
    const packs = evaluate(documented('AdmissionPoliciesProps.packs').replace(/^- /, ''));
    expect(admission('packs', undefined)).toEqual(admission('packs', packs));
  });

  test('HardenedValidationProps.packs names the packs the plugin applies without the property', () => {
    // GIVEN "- pss-restricted, nsa-cisa, cis, cluster-fit and best-practices (…)"
    const names = documented('HardenedValidationProps.packs').replace(/^- /, '').replace(/ \(.*\)$/, '').split(/, | and /);
    expect(names).toEqual(packsByName('test', 'packs', undefined, undefined).map((pack) => pack.name));
  });

  test.each([
    ['HardenedWorkloadProps.resources', () => deployment({})],
    ['PostgresDatabaseProps.resources', () => postgres({})],
    ['CanaryVersion.resources', () => canary('canaryWeight', undefined)],
    ['FlywayMigrationJobProps.resources', () => flyway('resources', undefined)],
  ])('%s: the documented requests and limits are every container\'s', (key, produce) => {
    // GIVEN "- cpu 100m/500m, memory 128Mi/256Mi, ephemeral-storage 64Mi/256Mi (request/limit)"
    const requests: { [name: string]: string } = {};
    const limits: { [name: string]: string } = {};
    for (const [, name, request, limit] of documented(key).matchAll(/([a-z-]+) ([0-9]+[a-zA-Z]*)\/([0-9]+[a-zA-Z]*)/g)) {
      requests[name] = request;
      limits[name] = limit;
    }
    expect(Object.keys(requests)).toEqual(['cpu', 'memory', 'ephemeral-storage']);
    const containers = (produce() as Manifest[]).filter((m) => ['Deployment', 'StatefulSet', 'Job'].includes(m.kind)).flatMap((m) => m.spec.template.spec.containers);
    expect(containers.length).toBeGreaterThan(0);
    for (const container of containers) expect(container.resources).toEqual({ requests, limits });
  });

  test('CanaryVersion.replicas: the documented count of each version', () => {
    // GIVEN "3 for stable, 1 for canary"
    const counts = Object.fromEntries([...documented('CanaryVersion.replicas').matchAll(/([0-9]+) for ([a-z]+)/g)].map((m) => [m[2], Number(m[1])]));
    expect(counts).toEqual({ stable: 3, canary: 1 });
    // WHEN a pair is synthesized with replica routing at weight 25 (both versions deployed)
    const replicas = (canary('canaryWeight', 25) as Manifest[]).filter((m) => m.kind === 'Deployment')
      .map((m) => [m.spec.template.metadata.labels.version, m.spec.replicas]);
    // THEN each version runs its documented count
    expect(Object.fromEntries(replicas)).toEqual(counts);
  });
});
