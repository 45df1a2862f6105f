// The projen project type (scaffold/, cdk8s-hardened-projen) pins what README.md and scaffold/README.md say it pins,
// and its package carries a README and no build leftovers.
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Cdk8sHardenedApp } from '../../scaffold/src';

const ROOT = path.join(__dirname, '..', '..');
const SCAFFOLD = path.join(ROOT, 'scaffold');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SCAFFOLD_README = readFileSync(path.join(SCAFFOLD, 'README.md'), 'utf8');

describe('the projen project type', () => {
  // GIVEN a new app from the project type, synthesized without installing anything
  const before = process.env.PROJEN_DISABLE_POST;
  let pkg: any;
  beforeAll(() => {
    process.env.PROJEN_DISABLE_POST = 'true';
    const outdir = mkdtempSync(path.join(tmpdir(), 'scaffold-'));
    new Cdk8sHardenedApp({ name: 'my-app', defaultReleaseBranch: 'main', outdir }).synth();
    pkg = JSON.parse(readFileSync(path.join(outdir, 'package.json'), 'utf8'));
  });
  afterAll(() => {
    if (before === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = before;
  });

  test('pins cdk8s, constructs, cdk8s-plus-27 and the cdk8s CLI exactly, at the versions both READMEs state', () => {
    const pinned = { 'cdk8s': pkg.dependencies.cdk8s, 'constructs': pkg.dependencies.constructs, 'cdk8s-plus-27': pkg.dependencies['cdk8s-plus-27'], 'cdk8s CLI': pkg.devDependencies['cdk8s-cli'] };
    expect(pinned).toEqual({ 'cdk8s': '2.70.106', 'constructs': '10.8.1', 'cdk8s-plus-27': '2.9.5', 'cdk8s CLI': '2.207.60' });
    for (const [name, version] of Object.entries(pinned)) {
      expect(README).toContain(`${name} ${version}`);
    }
    expect(SCAFFOLD_README).toContain('`cdk8s` 2.70.106, `constructs` 10.8.1, `cdk8s-plus-27` 2.9.5 and the\n  `cdk8s-cli` 2.207.60');
  });

  test("pins cdk8s-hardened at the project type's own version", () => {
    expect(pkg.dependencies['cdk8s-hardened']).toEqual(JSON.parse(readFileSync(path.join(SCAFFOLD, 'package.json'), 'utf8')).version);
  });

  test('defaults to the TypeScript, Node.js and package manager README states (Node 20 compatible)', () => {
    expect(pkg.devDependencies.typescript).toEqual('~5.9.0');
    expect(pkg.devDependencies['@types/node']).toEqual('^20');
    expect(pkg.engines.node).toEqual('>= 20.0.0');
    expect(README).toContain('Defaults it may change: TypeScript `~5.9.0`, Node.js 20 or newer (`@types/node` `^20`), npm.');
    // the install lines for an app written by hand use the same ranges
    expect(README).toContain('typescript@~5.9.0 ts-node@^10 @types/node@^20');
  });
});

describe('the project type package', () => {
  const manifest = JSON.parse(readFileSync(path.join(SCAFFOLD, 'package.json'), 'utf8'));

  test('has a README of its own', () => {
    expect(manifest.files).toContain('README.md');
    expect(SCAFFOLD_README).toMatch(/^# cdk8s-hardened-projen\n/);
    expect(SCAFFOLD_README).not.toMatch(/replace this/i);
  });

  test('ships only the compiled JavaScript, its declarations and the jsii assembly from lib/ (no tsconfig.tsbuildinfo)', () => {
    expect(manifest.files).toEqual(['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'README.md']);
  });
});
