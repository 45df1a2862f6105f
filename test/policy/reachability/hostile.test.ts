import { ANYWHERE, deployment, networkPolicy, reach } from './support';
import { connlistText } from '../../../src/policy/reachability/connlist-text';
import { evaluateReachability } from '../../../src/policy/reachability/reachability';

// Manifests the API server would refuse never crash the evaluator. A NetworkPolicy it would refuse does not exist in a
// cluster, so it is left out — its pods are as open as without it — and a warning names it and the reason.
const web = deployment('shop', 'web', { app: 'web' });
const db = deployment('shop', 'db', { app: 'db' });
const denyAll = { podSelector: {}, policyTypes: ['Ingress'] };

describe('malformed NetworkPolicies are left out with the reason', () => {
  test.each([
    ['a spec that is not an object', 'a string', /spec is a string \("a string"\), not an object/],
    ['a spec that is a list', [denyAll], /spec is a list, not an object/],
    ['ports given as a numeric string', { ...denyAll, ingress: [{ ports: [{ port: '80' }] }] }, /ports\[0\]\.port "80" is neither a port number nor a valid port name/],
    ['ports that are a string', { ...denyAll, ingress: [{ ports: '80' }] }, /spec\.ingress\[0\]\.ports is a string \("80"\), not a list of ports/],
    ['a port out of range', { ...denyAll, ingress: [{ ports: [{ port: 70000 }] }] }, /port 70000 is not a port from 1 to 65535/],
    ['endPort before port', { ...denyAll, ingress: [{ ports: [{ port: 90, endPort: 80 }] }] }, /endPort 80 is not a port from 90 to 65535/],
    ['endPort with a named port', { ...denyAll, ingress: [{ ports: [{ port: 'http', endPort: 80 }] }] }, /has an endPort with the named port "http"/],
    ['an unknown protocol', { ...denyAll, ingress: [{ ports: [{ protocol: 'ICMP' }] }] }, /protocol is "ICMP"; the API server accepts only TCP, UDP and SCTP/],
    ['an invalid CIDR', { ...denyAll, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] }, /ipBlock\.cidr is "10\.0\.0\.0\/33", not a valid CIDR/],
    ['a CIDR that is not a string', { ...denyAll, ingress: [{ from: [{ ipBlock: { cidr: 10 } }] }] }, /ipBlock\.cidr is a number \(10\), not a valid CIDR/],
    ['an except outside the CIDR', { ...denyAll, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/8'] } }] }] }, /except\[0\] \(11\.0\.0\.0\/8\) is not strictly inside 10\.0\.0\.0\/8/],
    ['an ipBlock with a selector', { ...denyAll, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }, /has an ipBlock and a selector/],
    ['an empty peer', { ...denyAll, ingress: [{ from: [{}] }] }, /from\[0\] names no podSelector, namespaceSelector or ipBlock/],
    ['a selector with an unknown operator', { podSelector: { matchExpressions: [{ key: 'app', operator: 'Matches', values: ['w.*'] }] } },
      /spec\.podSelector\.matchExpressions\[0\] has operator "Matches"; the API server accepts only In, NotIn, Exists, DoesNotExist/],
    ['In without values', { ...denyAll, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }] }] }, /\(In\) has no values/],
    ['matchLabels with a number', { podSelector: { matchLabels: { app: 1 } } }, /spec\.podSelector\.matchLabels\.app is a number \(1\), not a string/],
    ['rules that are not a list', { ...denyAll, ingress: 'all' }, /spec\.ingress is a string \("all"\), not a list of rules/],
    ['an unknown policyType', { podSelector: {}, policyTypes: ['Both'] }, /spec\.policyTypes must be a list of "Ingress" and "Egress"/],
  ])('%s', (_, spec, reason) => {
    // GIVEN a policy over every pod of shop that the API server would refuse
    const policy = networkPolicy('shop', 'bad', spec);
    // WHEN evaluated
    const { connections, warnings } = reach([web, db, policy]);
    // THEN it is left out (the pods stay open) with the reason
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('All Connections');
    expect(connections.get(`${ANYWHERE} => shop/db[Deployment]`)).toBe('All Connections');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^NetworkPolicy shop\/bad left out: /);
    expect(warnings[0]).toMatch(reason);
    expect(warnings[0]).toMatch(/\(the API server would refuse it\)$/);
  });
});

describe('hostile objects do not crash the evaluator', () => {
  test('null, scalars, lists and half objects among the manifests', () => {
    // GIVEN junk beside a valid pair of workloads
    const junk = [null, 42, 'text', [], {}, { kind: 'Deployment' }, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: null },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'y' }, spec: { template: { metadata: { labels: { a: 1 } }, spec: { containers: [] } } } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels: 'x' } }];
    // WHEN evaluated
    const result = evaluateReachability([web, db, ...junk]);
    // THEN the valid workloads are listed, the bad objects named in warnings
    expect(result.connections.map((c) => `${c.source.name} => ${c.destination.name}`)).toContain('shop/web[Deployment] => shop/db[Deployment]');
    expect(result.warnings).toEqual([
      'Deployment default/x has no pod template with containers: left out (the API server would refuse it)',
      'Deployment default/y: its pod labels are not a map of strings: left out (the API server would refuse it)',
      'NetworkPolicy in default has no name: left out (the API server would refuse it)',
    ]);
  });

  test('a NetworkPolicy of another API group (Calico, Cilium) is not read', () => {
    const calico = { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { selector: 'all()' } };
    const { connections, warnings } = reach([web, db, calico]);
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('All Connections');
    expect(warnings).toEqual([]);
  });

  test('names with line breaks and escapes cannot forge a line of the text', () => {
    // GIVEN a workload whose name holds a newline and an ANSI escape (the API server would refuse it)
    const forged = deployment('shop', 'x\nfake => line : All Connections\u001b[2J', { app: 'x' });
    // WHEN listed as text
    const text = connlistText(evaluateReachability([forged]));
    // THEN each connection is one line, its control characters escaped
    expect(text.split('\n').filter(Boolean)).toEqual([
      `${ANYWHERE} => shop/x\\nfake => line : All Connections\\u001b[2J[Deployment] : All Connections`,
      `shop/x\\nfake => line : All Connections\\u001b[2J[Deployment] => ${ANYWHERE} : All Connections`,
    ]);
  });

  test('a policy given twice counts as the later one, with a warning', () => {
    const first = networkPolicy('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 1 }] }] });
    const second = networkPolicy('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 2 }] }] });
    const { connections, warnings } = reach([web, db, first, second]);
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('TCP 2');
    expect(warnings).toEqual(['NetworkPolicy shop/db is given twice; the later one counts']);
  });

  test('pods of one owner with different labels: the first one read counts, with a warning', () => {
    const pod = (name: string, app: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app }, ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', controller: true }] },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    const { warnings, peers } = reach([pod('a', 'one'), pod('b', 'two')]);
    expect(peers).toContain('default/rs[ReplicaSet]');
    expect(warnings).toEqual(['default/rs[ReplicaSet]: its pods have different labels; it is evaluated with the labels of the first one read ({"app":"one"})']);
  });
});

describe('labels named like object properties', () => {
  test('Exists and DoesNotExist on a key such as constructor look at the pod\'s own labels only', () => {
    // GIVEN db admitting pods that have the label "constructor" (none has) and, on UDP, those without "toString" (all)
    const policy = networkPolicy('shop', 'db', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] } }] },
        { from: [{ podSelector: { matchExpressions: [{ key: 'toString', operator: 'DoesNotExist' }] } }], ports: [{ protocol: 'UDP', port: 53 }] }],
    });
    // WHEN evaluated
    const { connections } = reach([web, db, policy]);
    // THEN web is admitted by the second rule only
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('UDP 53');
  });

  test('a NetworkPolicy without a name is left out', () => {
    const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: 'shop' }, spec: denyAll };
    const { connections, warnings } = reach([web, db, policy]);
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('All Connections');
    expect(warnings).toEqual(['NetworkPolicy in shop has no name: left out (the API server would refuse it)']);
  });
});
