import { writeFileSync } from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { runReach } from '../../src/cli/reach';
import { folderWith } from '../support/manifest-folder';

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
const deployment = (name: string, port: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'x', ports: [{ name: 'http', containerPort: port }] }] } } },
});
const onlyFromWeb = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'db', namespace: 'shop' },
  spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }] },
};
const manifests = () => [namespace, deployment('web', 8080), deployment('db', 5432), onlyFromWeb];

describe('cdk8s-hardened reach', () => {
  test('lists the allowed connections in netpol-analyzer\'s format: exit 0', () => {
    // GIVEN a folder with two workloads, db admitting only web on its named port
    const dir = folderWith({ 'shop.yaml': manifests() });
    // WHEN reach reads it
    const { output, status, warnings } = runReach([dir]);
    // THEN it lists every allowed pair, sorted, with the named port resolved on db
    expect(status).toBe(0);
    expect(warnings).toBeUndefined();
    expect(output).toBe([
      '0.0.0.0-255.255.255.255[External] => shop/web[Deployment] : All Connections',
      'shop/db[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/db[Deployment] => shop/web[Deployment] : All Connections',
      'shop/web[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/web[Deployment] => shop/db[Deployment] : TCP 5432',
    ].join('\n'));
  });

  test('reads standard input for -', () => {
    // GIVEN the manifests on standard input
    const stdin = manifests().map((m) => stringify(m)).join('---\n');
    // WHEN reach reads -
    const { output, status } = runReach(['-'], () => stdin);
    // THEN it lists the same connections
    expect(status).toBe(0);
    expect(output).toContain('shop/web[Deployment] => shop/db[Deployment] : TCP 5432');
  });

  test('--format json: the peers and connections in a stable structure', () => {
    // GIVEN the folder
    const dir = folderWith({ 'shop.yaml': manifests() });
    // WHEN listed as JSON
    const { output, status } = runReach(['--format', 'json', dir]);
    // THEN peers and connections are named as in the text, with the ports as ranges
    expect(status).toBe(0);
    const json = JSON.parse(output);
    expect(json.peers).toEqual([
      { name: '0.0.0.0-255.255.255.255[External]', type: 'external', ipVersion: 4, first: '0.0.0.0', last: '255.255.255.255' },
      { name: 'shop/db[Deployment]', type: 'workload', namespace: 'shop', workload: 'db', kind: 'Deployment' },
      { name: 'shop/web[Deployment]', type: 'workload', namespace: 'shop', workload: 'web', kind: 'Deployment' },
    ]);
    expect(json.connections).toContainEqual({
      source: 'shop/web[Deployment]', destination: 'shop/db[Deployment]', connections: 'TCP 5432', all: false, protocols: { TCP: [[5432, 5432]] },
    });
    expect(json.connections).toContainEqual(expect.objectContaining({ source: 'shop/db[Deployment]', destination: 'shop/web[Deployment]', all: true }));
    expect(json.warnings).toEqual([]);
  });

  test('--format mermaid: a flowchart, the namespace a subgraph, open directions through "any peer"', () => {
    // GIVEN the folder
    const dir = folderWith({ 'shop.yaml': manifests() });
    // WHEN drawn as Mermaid
    const { output, status, warnings } = runReach(['--format=mermaid', dir]);
    // THEN web -> db carries the named port resolved; db's open egress and web's open ingress each take one edge
    expect(status).toBe(0);
    expect(warnings).toBeUndefined();
    const lines = output.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('  subgraph ns8d9001d32c["shop"]');
    const ids = Object.fromEntries([...output.matchAll(/^ +([wa][0-9a-f]{10})[[({]+"([^"]*)"/gm)].map((m) => [m[2], m[1]]));
    expect(Object.keys(ids).sort()).toEqual(['any address<br>0.0.0.0/0', 'any peer', 'db<br>Deployment', 'web<br>Deployment']);
    expect(lines).toContain(`  ${ids['web<br>Deployment']} -->|"TCP 5432"| ${ids['db<br>Deployment']}`);
    expect(lines).toContain(`  ${ids['db<br>Deployment']} -->|"all"| ${ids['any peer']}`);
    expect(lines).toContain(`  ${ids['any peer']} -->|"all"| ${ids['web<br>Deployment']}`);
    expect(output.endsWith('\n')).toBe(false);
  });

  test('--format dot: a Graphviz digraph, the namespace a cluster', () => {
    // GIVEN the folder
    const dir = folderWith({ 'shop.yaml': manifests() });
    // WHEN drawn as DOT
    const { output, status } = runReach(['--format', 'dot', dir]);
    // THEN
    expect(status).toBe(0);
    expect(output).toMatch(/^digraph reachability \{\n[^]*\n\}$/);
    expect(output).toContain('  subgraph "cluster_shop" {');
    expect(output).toContain('  "shop/web[Deployment]" -> "shop/db[Deployment]" [label="TCP 5432"];');
    expect(output).toContain('  "shop/db[Deployment]" -> "any peer" [label="all"];');
  });

  test('a policy the API server would refuse is left out with a warning; the list is still made', () => {
    // GIVEN db's policy with a port given as a numeric string (the API server refuses it: not a port name)
    const refused = { ...onlyFromWeb, spec: { ...onlyFromWeb.spec, ingress: [{ ports: [{ port: '5432' }] }] } };
    const dir = folderWith({ 'shop.yaml': [namespace, deployment('web', 8080), deployment('db', 5432), refused] });
    // WHEN listed
    const { output, status, warnings } = runReach([dir]);
    // THEN db is open (the policy does not exist in a cluster), and the warning says why
    expect(status).toBe(0);
    expect(output).toContain('shop/web[Deployment] => shop/db[Deployment] : All Connections');
    expect(warnings).toMatch(/^warning: NetworkPolicy shop\/db left out: spec\.ingress\[0\]\.ports\[0\]\.port "5432" is neither a port number nor a valid port name/);
  });

  test('bad usage and unreadable input: exit 2 with a readable message', () => {
    // GIVEN no targets, an unknown format, an unknown option, a missing path, a folder without objects, broken YAML
    const empty = folderWith({ 'README.md': 'nothing' });
    const broken = folderWith({ 'bad.yaml': 'kind: [' });
    // THEN each is refused with what is wrong
    expect(runReach([])).toEqual({ output: expect.stringMatching(/^cdk8s-hardened reach: name the files or folders to read\n\nusage: /), status: 2 });
    expect(runReach(['--format', 'svg', empty]).output).toMatch(/^cdk8s-hardened reach: --format is "svg"; use text, json, dot or mermaid/);
    expect(runReach(['--packs', 'x', empty]).output).toMatch(/^cdk8s-hardened reach: unknown option --packs/);
    expect(runReach([path.join(empty, 'missing.yaml')])).toEqual({ output: `cdk8s-hardened reach: ${path.join(empty, 'missing.yaml')}: no such file or folder`, status: 2 });
    expect(runReach([empty])).toEqual({ output: `cdk8s-hardened reach: no Kubernetes objects in ${empty}`, status: 2 });
    const { output, status } = runReach([broken]);
    expect(status).toBe(2);
    expect(output).toContain(path.join(broken, 'bad.yaml'));
  });

  test('--help prints the usage: exit 0', () => {
    expect(runReach(['--help'])).toEqual({ output: expect.stringMatching(/^usage: cdk8s-hardened reach <file\|dir\|->\.\.\. \[--format text\|json\|dot\|mermaid\]/), status: 0 });
  });

  test('a file without Kubernetes objects beside the manifests is skipped with a warning', () => {
    // GIVEN Helm values beside the manifests
    const dir = folderWith({ 'shop.yaml': manifests() });
    writeFileSync(path.join(dir, 'values.yaml'), 'replicas: 2\n');
    // WHEN listed
    const { status, warnings } = runReach([dir]);
    // THEN the list is made, and the skipped file named
    expect(status).toBe(0);
    expect(warnings).toContain(`warning: skipped ${path.join(dir, 'values.yaml')}: Helm values, not a manifest`);
  });
});
