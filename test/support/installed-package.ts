// The compiled package (lib/, written by `npx projen compile`, which `npm test` runs first) installed into a
// temporary app folder as an app would have it: node_modules/cdk8s-hardened and its peer dependencies.
import { existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

/** A new folder with node_modules linking this package and its peers; returns its path. */
export function appWithInstalledPackage(): string {
  if (!existsSync(path.join(ROOT, 'lib', 'index.js'))) {
    throw new Error('lib/index.js is missing: run `npx projen compile` (npm test runs it first)');
  }
  const app = mkdtempSync(path.join(tmpdir(), 'cdk8s-hardened-app-'));
  const modules = path.join(app, 'node_modules');
  mkdirSync(modules);
  symlinkSync(ROOT, path.join(modules, 'cdk8s-hardened'), 'dir');
  for (const peer of ['cdk8s', 'cdk8s-plus-27', 'constructs']) {
    symlinkSync(path.join(ROOT, 'node_modules', peer), path.join(modules, peer), 'dir');
  }
  return app;
}
