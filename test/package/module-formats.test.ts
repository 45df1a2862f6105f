// What Node sees of the package: the entry point from CommonJS and from an ES module, and the exports map.
import { execFileSync } from 'child_process';
import { writeFileSync } from 'fs';
import * as path from 'path';
import { appWithInstalledPackage } from '../support/installed-package';

function run(app: string, file: string, source: string): string {
  writeFileSync(path.join(app, file), source);
  return execFileSync(process.execPath, [file], { cwd: app, encoding: 'utf8' });
}

describe('the package as Node loads it', () => {
  const app = appWithInstalledPackage();

  test('an ES module imports every named export that CommonJS sees', () => {
    // GIVEN the names require() gives
    const names = JSON.parse(run(app, 'names.cjs', "process.stdout.write(JSON.stringify(Object.keys(require('cdk8s-hardened'))))"));
    // WHEN an ES module imports the namespace (Node's CommonJS export detection decides what it sees)
    const seen = JSON.parse(run(app, 'names.mjs', "import * as m from 'cdk8s-hardened'; process.stdout.write(JSON.stringify(Object.keys(m).filter((n) => n !== 'default' && n !== '__esModule')))"));
    // THEN it sees every one of them
    expect(names.length).toBeGreaterThan(30);
    expect(seen.sort()).toEqual(names.sort());
  });

  test('an ES module app imports named exports and synthesizes', () => {
    // WHEN an ES module app uses named imports
    const output = run(app, 'app.mjs', `
      import { Policy, SecureDeployment, InputError } from 'cdk8s-hardened';
      import { App, Chart } from 'cdk8s';
      const app = new App();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new SecureDeployment(chart, 'web', { image: 'quay.io/acme/web:1.2.3', port: 8080 });
      Policy.enforce(app);
      let refused;
      try { new SecureDeployment(chart, 'bad', { image: 'nginx:latest', port: 8080 }); } catch (e) { refused = e instanceof InputError; }
      process.stdout.write(JSON.stringify({ yaml: app.synthYaml(), refused }));
    `);
    // THEN the manifests are synthesized and errors are InputErrors
    const { yaml, refused } = JSON.parse(output);
    expect(yaml).toContain('kind: Deployment');
    expect(yaml).toContain('image: quay.io/acme/web:1.2.3');
    expect(refused).toBe(true);
  });

  test('the exports map admits the entry point, the CLI and package.json, and no deep import', () => {
    // WHEN each specifier is resolved from the app
    const resolved = JSON.parse(run(app, 'resolve.cjs', `
      const tryResolve = (s) => { try { require.resolve(s); return 'ok'; } catch (e) { return e.code; } };
      process.stdout.write(JSON.stringify(['cdk8s-hardened', 'cdk8s-hardened/cli', 'cdk8s-hardened/package.json',
        'cdk8s-hardened/lib/constructs/workloads/secure-deployment'].map(tryResolve)));
    `));
    // THEN only what the map lists resolves; a deep import fails at once instead of type-checking and then failing
    expect(resolved).toEqual(['ok', 'ok', 'ok', 'ERR_PACKAGE_PATH_NOT_EXPORTED']);
  });

  test('require() runs no module of the library until an export is read', () => {
    const loaded = JSON.parse(run(app, 'lazy.cjs', `
      const before = new Set(Object.keys(require.cache));
      const m = require('cdk8s-hardened');
      const afterRequire = Object.keys(require.cache).filter((f) => !before.has(f) && f.includes('/lib/'));
      m.SecureDeployment;
      const afterRead = Object.keys(require.cache).filter((f) => !before.has(f) && f.includes('/lib/'));
      process.stdout.write(JSON.stringify({ afterRequire: afterRequire.length, afterRead: afterRead.map((f) => f.split('/lib/')[1]) }));
    `));
    expect(loaded.afterRequire).toBe(1); // lib/index.js alone
    expect(loaded.afterRead).toContain('constructs/workloads/secure-deployment.js');
    expect(loaded.afterRead).not.toContain('constructs/data/flyway-migration-job.js');
    // the policy engine (which judges grants) loads with the first grant, not with SecureDeployment
    expect(loaded.afterRead).not.toContain('constructs/workloads/api-access.js');
    expect(loaded.afterRead).not.toContain('policy/pack.js');
  });

  test('cdk8s-plus-27 loads only when the app works with its objects, not with SecureDeployment', () => {
    // GIVEN an app that reads SecureDeployment, builds one and synthesizes, then passes a cdk8s-plus ConfigMap
    const loaded = JSON.parse(run(app, 'plus.cjs', `
      const plus = () => Object.keys(require.cache).some((f) => f.includes('/node_modules/cdk8s-plus-27/'));
      const { SecureDeployment, HealthProbe } = require('cdk8s-hardened');
      const { App, Chart } = require('cdk8s');
      const app = new App();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new SecureDeployment(chart, 'web', { image: 'quay.io/acme/web:1.2.3', port: 8080, readiness: HealthProbe.http('/healthz') });
      app.synthYaml();
      const afterBuild = plus();
      const kplus = require('cdk8s-plus-27');
      new SecureDeployment(chart, 'api', { image: 'quay.io/acme/api:1.2.3', port: 8080, readiness: HealthProbe.http('/healthz'),
        config: { configMap: kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'api-config'), mountPath: '/etc/api' } });
      process.stdout.write(JSON.stringify({ afterBuild, yaml: app.synthYaml() }));
    `));
    // THEN building a SecureDeployment leaves cdk8s-plus-27 (~50 ms to load) unloaded, and its objects still work
    expect(loaded.afterBuild).toBe(false);
    expect(loaded.yaml).toContain('name: api-config');
  });

  test('the Public Suffix List (tldts) loads with the first host pattern judged, not with the network constructs', () => {
    // GIVEN an app that reads EgressAllowlist and EgressTarget, then makes a Cilium allowlist with a host pattern
    const loaded = JSON.parse(run(app, 'psl.cjs', `
      const psl = () => Object.keys(require.cache).some((f) => f.includes('/node_modules/tldts'));
      const m = require('cdk8s-hardened');
      const { App, Chart } = require('cdk8s');
      const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
      const web = new m.SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080 });
      const read = [m.EgressAllowlist, m.EgressTarget, m.EgressMode].every(Boolean) && psl();
      new m.EgressAllowlist(chart, 'egress', { workload: web, mode: m.EgressMode.CILIUM, allow: [m.EgressTarget.hostPattern('*.cdn.example.com', { tcp: [443] })] });
      process.stdout.write(JSON.stringify({ read, judged: psl() }));
    `));
    // THEN reading the constructs leaves the list unloaded, and judging the pattern loads it
    expect(loaded).toEqual({ read: false, judged: true });
  });

  test('js-yaml (the check command\'s fast YAML path) is not loaded by the library, whatever export is read', () => {
    // GIVEN an app that reads every export of the library
    const loaded = JSON.parse(run(app, 'js-yaml.cjs', `
      const m = require('cdk8s-hardened');
      for (const name of Object.keys(m)) void m[name];
      process.stdout.write(JSON.stringify(Object.keys(require.cache).some((f) => f.includes('/node_modules/js-yaml/'))));
    `));
    // THEN js-yaml is not loaded (the command loads it when it reads its first stream)
    expect(loaded).toBe(false);
  });
});
