import { readFileSync } from 'fs';
import * as path from 'path';
import { cdk8s, javascript, SampleFile, typescript } from 'projen';

/** The versions cdk8s-hardened is built and tested with; a new app uses the same. */
const CDK8S_VERSION = '2.70.106';
const CONSTRUCTS_VERSION = '10.8.1';
const CDK8S_PLUS_VERSION = '2.9.5';
const CDK8S_CLI_VERSION = '2.207.60';
/** TypeScript stays on one minor (it is not semantically versioned); the library is built with 5.9. */
const TYPESCRIPT_VERSION = '~5.9.0';
const MIN_NODE_VERSION = '20.0.0';
const LIBRARY = 'cdk8s-hardened';

/**
 * Options of {@link Cdk8sHardenedApp}, the options of a TypeScript project.
 *
 * The cdk8s, constructs, cdk8s-plus-27 and cdk8s CLI versions are not options: the app uses the exact versions the
 * library is tested with. TypeScript defaults to `~5.9.0`, Node.js to 20 or newer (`@types/node` `^20`), the package
 * manager to npm.
 */
export interface Cdk8sHardenedAppOptions extends typescript.TypeScriptProjectOptions {
  /**
   * The namespace of the sample app (a DNS-1123 label).
   * @default - the project name, as a DNS label
   */
  readonly appNamespace?: string;
  /**
   * The dependency spec of the library, e.g. `cdk8s-hardened@file:/path/to/cdk8s-hardened-0.1.0.tgz` to try a
   * build that is not released.
   * @default - cdk8s-hardened at the exact version of this project type (they are released together)
   */
  readonly hardenedLibrary?: string;
}

/**
 * A cdk8s TypeScript app that is hardened from its first commit: a SecureDeployment in a
 * DefaultDenyNamespace, a `HardenedApp` that enforces the packs at every synth, the policy engine as a validation
 * plugin of `cdk8s synth` (loaded from node_modules), cdk8s-hardened pinned to the exact version of this project type,
 * and a test that synthesizes the chart and checks it against the policy packs.
 *
 * cdk8s, constructs, cdk8s-plus-27 and the cdk8s CLI are pinned to the versions the library is tested with.
 *
 * @pjid cdk8s-hardened-app
 */
export class Cdk8sHardenedApp extends cdk8s.Cdk8sTypeScriptApp {
  public constructor(options: Cdk8sHardenedAppOptions) {
    const version = ownVersion();
    const deps = options.deps ?? [];
    const hasLibrary = deps.some((spec) => spec === LIBRARY || spec.startsWith(`${LIBRARY}@`));
    super({
      // What the README states and the library is built with; an app may choose others in its .projenrc.ts.
      packageManager: javascript.NodePackageManager.NPM,
      typescriptVersion: TYPESCRIPT_VERSION,
      // Node 20 or newer (engines), and @types/node ^20 to match.
      minNodeVersion: MIN_NODE_VERSION,
      ...options,
      // Exact versions (not ^ ranges): the versions the library is tested with.
      cdk8sVersion: CDK8S_VERSION,
      cdk8sVersionPinning: true,
      constructsVersion: CONSTRUCTS_VERSION,
      constructsVersionPinning: true,
      cdk8sCliVersion: CDK8S_CLI_VERSION,
      cdk8sCliVersionPinning: true,
      cdk8sPlus: true,
      k8sMinorVersion: 27,
      cdk8sPlusVersion: CDK8S_PLUS_VERSION,
      cdk8sPlusVersionPinning: true,
      deps: hasLibrary ? deps : [...deps, options.hardenedLibrary ?? `${LIBRARY}@${version}`],
      // Our own sample files below, not projen's hello-world.
      sampleCode: false,
      // Snapshot tests must be able to fail.
      jestOptions: { ...options.jestOptions, updateSnapshot: options.jestOptions?.updateSnapshot ?? javascript.UpdateSnapshot.NEVER },
    });

    // The cdk8s CLI asks the registry for upgrades on every run.
    this.tasks.addEnvironment('CDK8S_CHECK_UPGRADE', 'false');
    this.tasks.tryFind('synth')?.reset('cdk8s synth --no-check-upgrade');

    // The same packs behind `cdk8s synth`, loaded from the installed library (no download at synth).
    this.tryFindObjectFile('cdk8s.yaml')?.addOverride('validations', [{
      package: `./node_modules/${LIBRARY}`,
      version,
      class: 'HardenedValidation',
      properties: { packs: ['pss-restricted', 'nsa-cisa', 'cis', 'cluster-fit', 'best-practices'] },
    }]);

    if (options.sampleCode !== false) {
      const namespace = options.appNamespace ?? dnsLabel(options.name);
      new SampleFile(this, path.join(this.srcdir, this.appEntrypoint), { contents: mainSource(namespace) });
      new SampleFile(this, path.join(this.testdir, 'main.test.ts'), { contents: testSource(namespace) });
    }
  }
}

/** This package's version: cdk8s-hardened is released at the same version. */
function ownVersion(): string {
  return JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
}

function dnsLabel(name: string): string {
  return name.toLowerCase().replace(/^@[^/]+\//, '').replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'app';
}

function mainSource(namespace: string): string {
  return `import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { DefaultDenyNamespace, HardenedApp, HealthProbe, SecureDeployment } from '${LIBRARY}';

/** Your app: a hardened web service in a namespace that denies everything it does not allow. */
export class MyChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const namespace = new DefaultDenyNamespace(this, 'namespace', { name: '${namespace}' });
    new SecureDeployment(this, 'web', {
      name: 'web',
      namespace,
      image: 'ghcr.io/acme/web:1.0.0', // pin your image by version or digest
      port: 8080,
      readiness: HealthProbe.http('/healthz'),
    });
  }
}

/** The app, checked against the policy packs at every synth (each object serialized once). */
export function createApp(): HardenedApp {
  const app = new HardenedApp();
  new MyChart(app, '${namespace}', { namespace: '${namespace}' });
  return app;
}

if (require.main === module) {
  createApp().synth();
}
`;
}

function testSource(namespace: string): string {
  return `import { Testing } from 'cdk8s';
import { Policy } from '${LIBRARY}';
import { MyChart } from '../src/main';

test('the chart synthesizes hardened objects with no policy finding', () => {
  const app = Testing.app();
  const chart = new MyChart(app, '${namespace}', { namespace: '${namespace}' });
  const kinds = Testing.synth(chart).map((manifest: any) => manifest.kind);
  expect(kinds).toEqual(expect.arrayContaining(['Namespace', 'NetworkPolicy', 'Deployment', 'Service', 'PodDisruptionBudget']));
  expect(Policy.report(app).findings).toEqual([]);
});
`;
}
