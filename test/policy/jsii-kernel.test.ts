// The package driven through @jsii/kernel, the engine behind the Python, Java, Go and .NET bindings: objects
// are created by fully qualified name, structs cross by value (plain JSON), and a rule written in another
// language is a PolicyRule created with an override of `evaluate`, answered through the kernel's callback.
// The kernel loads the compiled package from a tarball, as a host does: the suite packs lib/ and .jsii (and
// compiles first, with `npx projen compile`, when the assembly is missing or older than src/).
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const BYREF = '$jsii.byref';
const STRUCT = '$jsii.struct';

/** The part of @jsii/kernel's API this test uses (the package ships no types the test config could rely on). */
interface ObjRef { readonly [BYREF]: string }
interface Callback {
  readonly cbid: string;
  readonly cookie?: string;
  readonly invoke?: { readonly objref: ObjRef; readonly method: string; readonly args?: any[] };
}
interface JsiiKernel {
  load(request: { name: string; version: string; tarball: string }): { assembly: string; types: number };
  create(request: { fqn: string; args?: any[]; overrides?: Array<{ method: string; cookie?: string }> }): ObjRef;
  invoke(request: { objref: ObjRef; method: string; args?: any[] }): { result: any };
  sinvoke(request: { fqn: string; method: string; args?: any[] }): { result: any };
  get(request: { objref: ObjRef; property: string }): { value: any };
}

/** The newest modification time under a folder. */
function newest(dir: string): number {
  return Math.max(...readdirSync(dir, { withFileTypes: true })
    .map((entry) => (entry.isDirectory() ? newest(path.join(dir, entry.name)) : statSync(path.join(dir, entry.name)).mtimeMs)));
}

/** The compiled assembly, built first when it is missing or older than the sources. */
function compiledAssembly(): void {
  const assembly = path.join(ROOT, '.jsii');
  let built = 0;
  try {
    built = statSync(assembly).mtimeMs;
  } catch {
    // not compiled yet
  }
  if (built >= newest(path.join(ROOT, 'src'))) return;
  process.stderr.write('jsii-kernel.test: the jsii assembly is missing or older than src/: running `npx projen compile`\n');
  execFileSync('npx', ['projen', 'compile'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Packs each package folder into a tarball as npm publishes it (no lifecycle scripts). */
function packTarballs(folders: string[]): Array<{ name: string; version: string; tarball: string }> {
  const destination = mkdtempSync(path.join(tmpdir(), 'jsii-kernel-test-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination, ...folders], { cwd: destination, encoding: 'utf8' }));
  return packed.map((p: any) => ({ name: p.name, version: p.version, tarball: path.join(destination, p.filename) }));
}

const packageFolder = (name: string) => path.dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] }));

/** Host-side rules, by the cookie of their override. */
const HOST_RULES: { [cookie: string]: (objects: any[], read: Read) => any[] } = {
  'no-debug-names': noDebugNames,
  // an index past the objects the rule was given
  'out-of-range': (objects) => [{ objectIndex: objects.length, compliant: false }],
};

let kernel: JsiiKernel;

/** Reads a property of an object the host received: by reference (as a proxy does, through the kernel) or by value. */
const readProperty: Read = (value, property) => (value?.[BYREF]
  ? kernel.get({ objref: value, property }).value
  : value?.[STRUCT]?.data?.[property] ?? value?.[property]);

beforeAll(() => {
  compiledAssembly();
  // GIVEN a kernel with the package and its jsii dependencies loaded from tarballs, as a host loads them
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded as a host loads it, untyped
  const { Kernel } = require('@jsii/kernel');
  kernel = new Kernel((callback: Callback) => {
    const rule = HOST_RULES[callback.cookie ?? ''];
    if (!rule || callback.invoke?.method !== 'evaluate') throw new Error(`unexpected callback ${JSON.stringify(callback)}`);
    return rule(callback.invoke.args?.[0] ?? [], readProperty);
  });
  const own = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name;
  const tarballs = packTarballs([...['constructs', 'cdk8s', 'cdk8s-plus-27'].map(packageFolder), ROOT]);
  expect(tarballs.map((t) => kernel.load(t).assembly)).toEqual(['constructs', 'cdk8s', 'cdk8s-plus-27', own]);
}, 600_000);

/** Reads a property of an object the host received. */
type Read = (value: any, property: string) => any;

/**
 * A host-side rule: flags objects named debug and names each by its index, as a Python rule would (the objects
 * reach the host as references to PolicyObjects; its results go back as plain structs, copies).
 */
function noDebugNames(objects: any[], read: Read): any[] {
  return objects.map((object, objectIndex) => ({ objectIndex, compliant: read(object, 'name') !== 'debug', message: 'the object is called debug' }));
}

const RULE_PROPS = {
  id: 'ACME-NO-DEBUG',
  title: 'No object is called debug',
  rationale: 'Debug objects are left behind.',
  severity: { '$jsii.enum': 'cdk8s-hardened.Severity/ERROR' },
  standard: 'ACME platform rules',
  fix: 'Rename it.',
};

/** An app holding ConfigMaps debug and settings in chart shop, and a pack with the host rule of the cookie. */
function appWithHostRule(cookie: string): { app: ObjRef; pack: ObjRef } {
  const rule = kernel.create({ fqn: 'cdk8s-hardened.PolicyRule', args: [RULE_PROPS], overrides: [{ method: 'evaluate', cookie }] });
  const pack = kernel.sinvoke({ fqn: 'cdk8s-hardened.PolicyPack', method: 'of', args: ['acme', [rule]] }).result;
  const app = kernel.create({ fqn: 'cdk8s-hardened.HardenedApp', args: [{ outdir: mkdtempSync(path.join(tmpdir(), 'jsii-kernel-app-')), packs: [pack], printWarnings: false }] });
  const chart = kernel.create({ fqn: 'cdk8s.Chart', args: [app, 'shop', { namespace: 'shop' }] });
  kernel.create({ fqn: 'cdk8s.ApiObject', args: [chart, 'debug', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'debug' } }] });
  kernel.create({ fqn: 'cdk8s.ApiObject', args: [chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } }] });
  return { app, pack };
}

describe('driven through @jsii/kernel, as Python, Java and Go drive it', () => {
  test('a rule implemented by the host (an override of evaluate) reports its finding, matched by index', () => {
    // GIVEN a HardenedApp with two ConfigMaps and a pack holding a host-implemented rule
    const { app, pack } = appWithHostRule('no-debug-names');
    // WHEN the report is made through the kernel (the options go in as a struct, by value)
    const report = kernel.sinvoke({ fqn: 'cdk8s-hardened.Policy', method: 'report', args: [app, { packs: [pack] }] }).result;
    const findings = kernel.get({ objref: report, property: 'findings' }).value;
    // THEN the finding names the rule, the construct path and the object the host pointed at
    expect(findings.map((f: any) => ['ruleId', 'path', 'kind', 'name', 'message'].map((field) => readProperty(f, field))))
      .toEqual([['ACME-NO-DEBUG', 'shop/debug', 'ConfigMap', 'debug', 'the object is called debug']]);
    // AND both objects were scored (the compliant one too)
    const scores = kernel.get({ objref: report, property: 'scores' }).value;
    expect(scores.map((score: any) => ['pack', 'passed', 'applicable'].map((field) => readProperty(score, field)))).toEqual([['acme', 1, 2]]);
  });

  test('the host rule fails the HardenedApp synth with its finding', () => {
    // GIVEN the same app
    const { app } = appWithHostRule('no-debug-names');
    // WHEN synthesized through the kernel THEN synth fails with the rule id, path and object
    expect(() => kernel.invoke({ objref: app, method: 'synthYaml' })).toThrow(/\[ACME-NO-DEBUG\] shop\/debug \(ConfigMap\/debug\): the object is called debug/);
  });

  test('a host result naming an object out of range is an error naming the rule', () => {
    // GIVEN a host rule that answers with an index past the objects it was given
    const { app, pack } = appWithHostRule('out-of-range');
    // WHEN evaluated THEN the error names the rule and the range
    expect(() => kernel.sinvoke({ fqn: 'cdk8s-hardened.Policy', method: 'report', args: [app, { packs: [pack] }] }))
      .toThrow(/Rule ACME-NO-DEBUG: a result names object 2, but the rule was given objects 0 to 1/);
  });
});
