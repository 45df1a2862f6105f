import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import * as path from 'path';
import { runCheck } from '../../src/cli/check';
import { companions, hardenedDeployment } from '../support/fixtures';
import { folderWith } from '../support/manifest-folder';

const ROOT = path.join(__dirname, '..', '..');
const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

describe('--version prints the version of cdk8s-hardened; --pss-version is the Pod Security Standards version', () => {
  test('check --version, alone or among targets, prints the version and exits 0', () => {
    // WHEN asked for the version / THEN the package's version
    expect(runCheck(['--version'])).toEqual({ output: VERSION, status: 0 });
    expect(runCheck(['dist/', '--version'])).toEqual({ output: VERSION, status: 0 });
  });

  test('cdk8s-hardened --version and cdk8s-hardened check --version, as commands', () => {
    // WHEN the command runs (from source, as lib/cli/main.js runs)
    const run = (...args: string[]) => execFileSync('npx', ['ts-node', '--swc', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
    // THEN both print the version on standard output
    expect(run('--version')).toBe(`${VERSION}\n`);
    expect(run('check', '--version')).toBe(`${VERSION}\n`);
  });

  test('--pss-version chooses the version the Pod Security packs judge at; the usage names it', () => {
    // GIVEN compliant manifests
    const dir = folderWith({ 'shop.yaml': [hardenedDeployment(), ...companions()] });
    // THEN any supported version is accepted, and the usage shows both options
    expect(runCheck([dir, '--pss-version', 'v1.27']).status).not.toBe(2);
    expect(runCheck([dir, '--pss-version=v1.37']).status).not.toBe(2);
    expect(runCheck(['--help']).output).toMatch(/--pss-version {7}the Pod Security Standards version[^]*--version {11}print the version/);
  });
});

describe('--version, hostile: the old spelling of the Pod Security version', () => {
  test.each([
    [['dist/', '--version', 'v1.33'], 'v1.33'],
    [['dist/', '--version', '1.29'], '1.29'],
    [['dist/', '--version=v1.30'], 'v1.30'],
  ])('%j points to --pss-version', (args, version) => {
    // WHEN a PSS version follows --version / THEN a usage problem that names the new option with that value
    const { output, status } = runCheck(args);
    expect(status).toBe(2);
    expect(output).toContain(`--version prints the version of cdk8s-hardened and takes no value; for the Pod Security Standards version use --pss-version ${version}`);
  });

  test('--pss-version without a value, or with a version out of range, is a usage problem', () => {
    expect(runCheck(['dist/', '--pss-version'])).toEqual({ status: 2, output: expect.stringMatching(/--pss-version needs a value/) });
    expect(runCheck(['dist/', '--pss-version', 'v1.12'])).toEqual({ status: 2, output: expect.stringMatching(/v1\.12/) });
  });
});
