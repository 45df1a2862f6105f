import { writeFileSync } from 'fs';
import * as path from 'path';
import { runCheck } from '../../src/cli/check';
import { EXPECTATIONS_FILE } from '../../src/policy/expectations';
import { folderWith } from '../support/manifest-folder';

// Hostile or stale expectations files: what they declare makes a named object known, and nothing else.

const KINDS = ['Secret', 'ConfigMap', 'ServiceAccount', 'PriorityClass', 'RuntimeClass', 'PersistentVolumeClaim', 'Namespace',
  'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodDisruptionBudget', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding',
  'ValidatingAdmissionPolicy', 'Deployment', 'Pod', 'Service', 'HorizontalPodAutoscaler'];

/** A weak workload: privileged, root, no limits, no probes, exposed, in an unlabelled namespace, naming what nobody has. */
function weakWorkload(): any[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            priorityClassName: 'platform-high',
            serviceAccountName: 'web',
            volumes: [{ name: 's', secret: { secretName: 'db' } }],
            containers: [{ name: 'web', image: 'nginx:latest', securityContext: { privileged: true }, envFrom: [{ configMapRef: { name: 'cfg' } }] }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'nope' }, ports: [{ port: 80 }] } },
  ];
}

function expectations(prerequisites: any[], objects: any[] = []): string {
  return JSON.stringify({ format: 'cdk8s-hardened.expectations', version: 1, prerequisites, objects });
}

/** Every finding of a check, as `RULE kind/name: message`, sorted. */
function findings(dir: string, ...args: string[]): string[] {
  const { output } = runCheck([dir, '--format', 'json', ...args]);
  return JSON.parse(output).findings.map((f: any) => `${f.ruleId} ${f.kind}/${f.name}: ${f.message}`).sort();
}

describe('an expectations file silences unresolved references to what it declares, and nothing else', () => {
  test('declaring every kind under every name a rule could look for changes only K8S-REFERENCES-RESOLVE', () => {
    // GIVEN a weak workload, checked without and with an expectations file declaring everything in sight
    const bare = folderWith({ 'shop.yaml': weakWorkload() });
    const names = ['web', 'shop', 'db', 'cfg', 'platform-high', 'default', '*', 'nope', 'kube-system'];
    const declared = KINDS.flatMap((kind) => names.flatMap((name) => [undefined, 'shop', '*', 'kube-system']
      .map((namespace) => ({ kind, name, path: `x/${kind}/${name}`, ...(namespace ? { namespace } : {}) }))));
    const objects = weakWorkload().map((m) => ({ kind: m.kind, name: m.metadata.name, namespace: m.metadata.namespace, path: 'shop/acknowledged' }));
    const full = folderWith({ 'shop.yaml': weakWorkload(), [EXPECTATIONS_FILE]: expectations(declared, objects) });
    // THEN the findings are the same but for the references the file makes known
    const without = findings(bare).filter((f) => !f.startsWith('K8S-REFERENCES-RESOLVE'));
    expect(findings(full)).toEqual(without);
    expect(findings(bare).some((f) => f.startsWith('K8S-REFERENCES-RESOLVE'))).toBe(true);
  });

  test('a wildcard or another namespace declares nothing for shop', () => {
    const declared = ['*', 'other'].flatMap((namespace) => [
      { kind: 'Secret', name: 'db', namespace, path: 'x' }, { kind: 'Secret', name: '*', namespace: 'shop', path: 'x' },
      { kind: 'ServiceAccount', name: '*', namespace: 'shop', path: 'x' }, { kind: 'ConfigMap', name: 'cfg', namespace, path: 'x' },
    ]);
    const dir = folderWith({ 'shop.yaml': weakWorkload(), [EXPECTATIONS_FILE]: expectations(declared) });
    const refs = findings(dir).filter((f) => f.startsWith('K8S-REFERENCES-RESOLVE'));
    expect(refs).toHaveLength(1);
    expect(refs[0]).toMatch(/Secret shop\/db/);
    expect(refs[0]).toMatch(/ServiceAccount shop\/web/);
    expect(refs[0]).toMatch(/ConfigMap shop\/cfg/);
  });

  test('an expectations file in a sub-folder of a target is not read (only a folder given as a target)', () => {
    const declared = [{ kind: 'Secret', name: 'db', namespace: 'shop', path: 'x' }];
    const dir = folderWith({ 'shop.yaml': weakWorkload(), [`vendor/${EXPECTATIONS_FILE}`]: expectations(declared) });
    expect(findings(dir).find((f) => f.startsWith('K8S-REFERENCES-RESOLVE'))).toMatch(/Secret shop\/db/);
  });

  test('an unreadable or foreign expectations file in a folder target is an input problem (status 2), never a pass', () => {
    for (const text of ['', 'not json', '{"format": "cdk8s-hardened.expectations", "version": 2, "prerequisites": [], "objects": []}',
      expectations([]).replace('"prerequisites":[]', '"prerequisites":[{"kind":"Secret","name":"db","path":"x","__proto__":{"namespace":"shop"}}]'),
      expectations([]).replace('"version":1', '"version":1,"__proto__":{"objects":[]}'), expectations([{ kind: 'Secret', name: 'db', path: 'x', extra: 1 }])]) {
      const dir = folderWith({ 'shop.yaml': weakWorkload() });
      writeFileSync(path.join(dir, EXPECTATIONS_FILE), text);
      expect(runCheck([dir]).status).toBe(2);
    }
  });
});
