// What a newcomer sees when a plain Node script makes a mistake: the message, and a short stack into the library.
import { spawnSync } from 'child_process';
import { writeFileSync } from 'fs';
import * as path from 'path';
import { appWithInstalledPackage } from '../support/installed-package';

const MISTAKE = `
const { SecureDeployment } = require('cdk8s-hardened');
const { App, Chart } = require('cdk8s');
const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
new SecureDeployment(chart, 'web', { image: 'nginx:latest', port: 8080 });
`;

describe('an uncaught InputError in a plain script', () => {
  const app = appWithInstalledPackage();
  writeFileSync(path.join(app, 'mistake.js'), MISTAKE);
  const stderrOf = (...nodeOptions: string[]) => spawnSync(process.execPath, [...nodeOptions, 'mistake.js'], { cwd: app, encoding: 'utf8' }).stderr;

  test('prints the message and a short stack, not the library\'s source', () => {
    // WHEN the script runs
    const stderr = stderrOf();
    // THEN the message names the construct, the value and the fix, in under 2 KB
    expect(stderr).toContain('InputError: SecureDeployment shop/web: image "nginx:latest" uses the mutable tag "latest"; pin a version or digest');
    expect(Buffer.byteLength(stderr)).toBeLessThan(2048);
  });

  test('its first stack frame is the validator that refused the value, in its own file', () => {
    // THEN the first frame is the per-file module of the validator (not the error factory, not a bundle)
    const frames = stderrOf().split('\n').filter((l) => l.trim().startsWith('at '));
    expect(frames[0]).toMatch(/at validateImage \(.*[/\\]lib[/\\]parsers[/\\]image\.js:\d+:\d+\)$/);
  });

  test('with source maps on, the frames name src/ files and lines', () => {
    // WHEN Node applies the shipped source maps (ts-node, which cdk8s apps run under, does so too)
    const frames = stderrOf('--enable-source-maps').split('\n').filter((l) => l.trim().startsWith('at '));
    // THEN the first frame is the TypeScript source
    expect(frames[0]).toMatch(/at validateImage \(.*[/\\]src[/\\]parsers[/\\]image\.ts:\d+:\d+\)$/);
    expect(frames[1]).toMatch(/[/\\]src[/\\]constructs[/\\]workloads[/\\]hardened-workload\.ts:\d+:\d+\)$/);
  });
});
