// Packs the projen project type (scaffold/, cdk8s-hardened-projen) at the library's version into dist/js/, beside the
// library's tarball, so that the release workflow publishes both (publib-npm publishes every dist/js/*.tgz).
// The two are released together: the project type pins cdk8s-hardened to its own version.
//
// scaffold/package.json stays at 0.0.0 in git, as the library's does: the version is set for the build and the pack
// and restored afterwards (the release task fails on any change left in the work tree).
import { execFileSync } from 'child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const SCAFFOLD = path.join(ROOT, 'scaffold');
const DEST = path.join(ROOT, process.argv[2] ?? path.join('dist', 'js'));

const version: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
const manifestFile = path.join(SCAFFOLD, 'package.json');
const original = readFileSync(manifestFile, 'utf8');
const manifest = JSON.parse(original);

mkdirSync(DEST, { recursive: true });
try {
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, version }, undefined, 2) + '\n');
  // jsii records the version in .jsii, which projen reads to list the project type: build at the released version.
  execFileSync('npx', ['jsii', '--silence-warnings=reserved-word'], { cwd: SCAFFOLD, stdio: 'inherit' });
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', DEST], { cwd: SCAFFOLD, stdio: 'inherit' });
} finally {
  writeFileSync(manifestFile, original);
}
console.log(`pack-scaffold: ${path.relative(ROOT, DEST)}/${manifest.name}-${version}.tgz`);
