import { ANYWHERE, deployment, namespace, networkPolicy, reach } from './support';

// Kubernetes NetworkPolicy semantics, point by point: what reach lists for a few workloads under one or two policies.
const web = deployment('shop', 'web', { app: 'web' });
const db = deployment('shop', 'db', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }, { name: 'metrics', containerPort: 9187, protocol: 'UDP' }]);
const onlyDb = { matchLabels: { app: 'db' } };

describe('no policy: every workload is open', () => {
  test('to and from every workload and every address, on every connection', () => {
    // GIVEN two workloads and no policy
    const { connections } = reach([web, db]);
    // THEN every pair and the whole address space are allowed everything, a workload to itself is not listed
    expect([...connections]).toEqual([
      [`${ANYWHERE} => shop/db[Deployment]`, 'All Connections'],
      [`${ANYWHERE} => shop/web[Deployment]`, 'All Connections'],
      [`shop/db[Deployment] => ${ANYWHERE}`, 'All Connections'],
      ['shop/db[Deployment] => shop/web[Deployment]', 'All Connections'],
      [`shop/web[Deployment] => ${ANYWHERE}`, 'All Connections'],
      ['shop/web[Deployment] => shop/db[Deployment]', 'All Connections'],
    ]);
  });
});

describe('named ports', () => {
  test('an ingress rule\'s named port resolves on the destination\'s container ports, with its protocol', () => {
    // GIVEN db admitting pg (TCP) and metrics (asked as TCP, but db serves it on UDP) and a name it does not have
    const policy = networkPolicy('shop', 'db', { podSelector: onlyDb, ingress: [{ ports: [{ port: 'pg' }, { port: 'metrics' }, { port: 'nope' }] }] });
    // WHEN evaluated
    const { connections } = reach([web, db, policy]);
    // THEN only pg resolves: TCP 5432 (metrics has another protocol, nope no port)
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('TCP 5432');
    expect(connections.get(`${ANYWHERE} => shop/db[Deployment]`)).toBe('TCP 5432');
  });

  test('an egress rule\'s named port resolves on the destination too, and reaches no address', () => {
    // GIVEN web allowed egress to the port named pg, wherever it is
    const policy = networkPolicy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'pg' }] }] });
    // WHEN evaluated
    const { connections } = reach([web, db, policy]);
    // THEN web reaches db on 5432, and no address (a name resolves on a pod only)
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('TCP 5432');
    expect(connections.has(`shop/web[Deployment] => ${ANYWHERE}`)).toBe(false);
  });
});

describe('ports', () => {
  test('endPort makes a range; absent ports mean every port; a protocol without port is all its ports', () => {
    // GIVEN three rules on db from web: a range, every UDP port, and SCTP 7000
    const policy = networkPolicy('shop', 'db', {
      podSelector: onlyDb,
      ingress: [{ ports: [{ port: 8000, endPort: 8080 }, { port: 8081 }] }, { ports: [{ protocol: 'UDP' }, { protocol: 'SCTP', port: 7000 }] }],
    });
    // WHEN evaluated
    const { connections } = reach([web, db, policy]);
    // THEN the rules add up, adjacent ranges merge, protocols in name order
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('SCTP 7000,TCP 8000-8081,UDP 1-65535');
  });

  test('a rule without ports admits every port of every protocol', () => {
    // GIVEN a rule with an empty ports list
    const policy = networkPolicy('shop', 'db', { podSelector: onlyDb, ingress: [{ from: [{ podSelector: {} }], ports: [] }] });
    // THEN web reaches db on everything, the outside nothing
    const { connections } = reach([web, db, policy]);
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('All Connections');
    expect(connections.has(`${ANYWHERE} => shop/db[Deployment]`)).toBe(false);
  });
});

describe('peers', () => {
  const other = deployment('other', 'client', { app: 'web' });
  const third = deployment('third', 'client', { app: 'web' });
  const namespaces = [namespace('shop', { team: 'a' }), namespace('other', { team: 'b' }), namespace('third', { team: 'b' })];

  test('a podSelector alone selects in the policy\'s namespace only', () => {
    const policy = networkPolicy('shop', 'db', { podSelector: onlyDb, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    const { connections } = reach([...namespaces, web, db, other, policy]);
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('All Connections');
    expect(connections.has('other/client[Deployment] => shop/db[Deployment]')).toBe(false);
  });

  test('namespaceSelector ∧ podSelector in one peer: pods with the labels in namespaces with the labels', () => {
    // GIVEN db admitting app=web pods of team b namespaces, and a pod of team b without app=web
    const stranger = deployment('other', 'batch', { app: 'batch' });
    const policy = networkPolicy('shop', 'db', {
      podSelector: onlyDb, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { app: 'web' } } }] }],
    });
    const { connections } = reach([...namespaces, web, db, other, third, stranger, policy]);
    // THEN both team b clients, not shop's web (team a), not the batch pod
    expect(connections.get('other/client[Deployment] => shop/db[Deployment]')).toBe('All Connections');
    expect(connections.get('third/client[Deployment] => shop/db[Deployment]')).toBe('All Connections');
    expect(connections.has('shop/web[Deployment] => shop/db[Deployment]')).toBe(false);
    expect(connections.has('other/batch[Deployment] => shop/db[Deployment]')).toBe(false);
  });

  test('a namespaceSelector alone selects every pod of the namespaces; {} every namespace; kubernetes.io/metadata.name is always set', () => {
    // GIVEN one peer by the automatic name label (no Namespace object for "third"), one peer {} for UDP 53
    const policy = networkPolicy('shop', 'db', {
      podSelector: onlyDb,
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'third' } } }], ports: [{ port: 5432 }] },
        { from: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] }],
    });
    const { connections } = reach([web, db, other, third, policy]);
    expect(connections.get('third/client[Deployment] => shop/db[Deployment]')).toBe('TCP 5432,UDP 53');
    expect(connections.get('other/client[Deployment] => shop/db[Deployment]')).toBe('UDP 53');
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('UDP 53');
    expect(connections.has(`${ANYWHERE} => shop/db[Deployment]`)).toBe(false);
  });

  test('absent or empty from/to: every peer, addresses included', () => {
    const absent = networkPolicy('shop', 'db', { podSelector: onlyDb, ingress: [{ ports: [{ port: 5432 }] }] });
    const empty = networkPolicy('shop', 'db', { podSelector: onlyDb, ingress: [{ from: [], ports: [{ port: 5432 }] }] });
    for (const policy of [absent, empty]) {
      const { connections } = reach([web, db, policy]);
      expect(connections.get(`${ANYWHERE} => shop/db[Deployment]`)).toBe('TCP 5432');
      expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('TCP 5432');
    }
  });
});

describe('ipBlocks', () => {
  test('except splits the address space; each range is one peer, listed separately', () => {
    // GIVEN db admitting 10.0.0.0/8 except 10.1.0.0/16 on TCP 5432
    const policy = networkPolicy('shop', 'db', { podSelector: onlyDb, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 5432 }] }] });
    const { connections, peers } = reach([web, db, policy]);
    // THEN the sources are cut at every boundary, and only the ranges of the block reach db
    expect(peers.filter((p) => p.endsWith('[External]'))).toEqual([
      '0.0.0.0-9.255.255.255[External]', '10.0.0.0-10.0.255.255[External]', '10.1.0.0-10.1.255.255[External]',
      '10.2.0.0-10.255.255.255[External]', '11.0.0.0-255.255.255.255[External]',
      // destinations are cut by egress blocks only: there are none
      ANYWHERE,
    ].sort());
    expect([...connections].filter(([pair]) => pair.endsWith('=> shop/db[Deployment]'))).toEqual([
      ['10.0.0.0-10.0.255.255[External] => shop/db[Deployment]', 'TCP 5432'],
      ['10.2.0.0-10.255.255.255[External] => shop/db[Deployment]', 'TCP 5432'],
    ]);
    // AND web, which no policy selects, is open to every range
    expect([...connections.keys()].filter((pair) => pair.endsWith('[External] => shop/web[Deployment]'))).toHaveLength(5);
  });

  test('an ipBlock never matches a pod, even when the pod network is inside it', () => {
    const policy = networkPolicy('shop', 'db', { podSelector: onlyDb, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] });
    const { connections } = reach([web, db, policy]);
    expect(connections.get(`${ANYWHERE} => shop/db[Deployment]`)).toBe('All Connections');
    expect(connections.has('shop/web[Deployment] => shop/db[Deployment]')).toBe(false);
  });

  test('IPv6 blocks cut the IPv6 space (which is listed only when some block is IPv6)', () => {
    const policy = networkPolicy('shop', 'web', {
      podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32' } }], ports: [{ port: 443 }] }],
    });
    const { connections } = reach([web, db, policy]);
    expect([...connections].filter(([pair]) => pair.startsWith('shop/web[Deployment] =>'))).toEqual([
      ['shop/web[Deployment] => 2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff[External]', 'TCP 443'],
    ]);
  });
});

describe('policyTypes', () => {
  const egressRule = { to: [{ podSelector: onlyDb }], ports: [{ port: 5432 }] };
  const selectWeb = { matchLabels: { app: 'web' } };

  test('without policyTypes a policy with egress rules restricts egress too', () => {
    const policy = networkPolicy('shop', 'web', { podSelector: selectWeb, egress: [egressRule] });
    const { connections } = reach([web, db, policy]);
    // THEN web's egress is only db:5432, and its ingress is closed (Ingress, with no rule)
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('TCP 5432');
    expect(connections.has(`shop/web[Deployment] => ${ANYWHERE}`)).toBe(false);
    expect(connections.has('shop/db[Deployment] => shop/web[Deployment]')).toBe(false);
  });

  test('without policyTypes and egress rules a policy restricts ingress only', () => {
    const policy = networkPolicy('shop', 'web', { podSelector: selectWeb });
    const { connections } = reach([web, db, policy]);
    expect(connections.get(`shop/web[Deployment] => ${ANYWHERE}`)).toBe('All Connections');
    expect(connections.has(`${ANYWHERE} => shop/web[Deployment]`)).toBe(false);
  });

  test('listed policyTypes are what counts: Egress only leaves ingress open, whatever ingress rules say', () => {
    const policy = networkPolicy('shop', 'web', { podSelector: selectWeb, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: onlyDb }] }], egress: [egressRule] });
    const { connections } = reach([web, db, policy]);
    expect(connections.get(`${ANYWHERE} => shop/web[Deployment]`)).toBe('All Connections');
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('TCP 5432');
  });
});

describe('egress AND ingress; rules and policies add up', () => {
  test('a connection needs the source\'s egress and the destination\'s ingress: the ports both allow', () => {
    // GIVEN web may send TCP 5000-6000, db may receive TCP 5432 and UDP 53
    const egress = networkPolicy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 5000, endPort: 6000 }] }] });
    const ingress = networkPolicy('shop', 'db', { podSelector: onlyDb, ingress: [{ ports: [{ port: 5432 }, { port: 53, protocol: 'UDP' }] }] });
    const { connections } = reach([web, db, egress, ingress]);
    // THEN web reaches db on their intersection, db (unrestricted egress) reaches web on everything
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('TCP 5432');
    expect(connections.get('shop/db[Deployment] => shop/web[Deployment]')).toBe('All Connections');
  });

  test('policies selecting one pod add up (union)', () => {
    const first = networkPolicy('shop', 'a', { podSelector: onlyDb, ingress: [{ ports: [{ port: 5432 }] }] });
    const second = networkPolicy('shop', 'b', { podSelector: {}, ingress: [{ ports: [{ port: 5433 }, { port: 53, protocol: 'UDP' }] }] });
    const { connections } = reach([web, db, first, second]);
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('TCP 5432-5433,UDP 53');
    expect(connections.get('shop/db[Deployment] => shop/web[Deployment]')).toBe('TCP 5433,UDP 53');
  });

  test('every port of TCP, UDP and SCTP is All Connections; every TCP port alone is not', () => {
    const all = networkPolicy('shop', 'a', { podSelector: onlyDb, ingress: [{ ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }, { protocol: 'SCTP' }] }] });
    const tcp = networkPolicy('shop', 'b', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ protocol: 'TCP' }] }] });
    const { connections } = reach([web, db, all, tcp]);
    expect(connections.get('shop/web[Deployment] => shop/db[Deployment]')).toBe('All Connections');
    expect(connections.get('shop/db[Deployment] => shop/web[Deployment]')).toBe('TCP 1-65535');
  });
});

describe('workloads', () => {
  const pod = (name: string, labels: any, owner?: any, ns?: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels, ...(ns ? { namespace: ns } : {}), ...(owner ? { ownerReferences: [owner] } : {}) },
    spec: { containers: [{ name: 'c', image: 'x' }] },
  });

  test('pods are grouped by their controller: the direct owner, a bare pod by itself, `default` namespace when none', () => {
    // GIVEN two pods of one ReplicaSet (a Deployment's), a static pod (owned by a Node), a bare pod, a CronJob and a Job
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9f', controller: true };
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: { metadata: { labels: { app: 'nightly' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } } },
    };
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'ops' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } };
    const { peers } = reach([
      pod('web-5d9f-a', { app: 'web' }, rs), pod('web-5d9f-b', { app: 'web' }, rs), pod('etcd-node1', {}, { kind: 'Node', name: 'node1', controller: true }, 'kube-system'),
      pod('debug', {}), cronJob, job,
    ]);
    // THEN one peer per owner
    expect(peers.filter((p) => !p.endsWith('[External]'))).toEqual([
      'default/debug[Pod]', 'default/nightly[CronJob]', 'default/web-5d9f[ReplicaSet]', 'kube-system/etcd-node1[Pod]', 'ops/once[Job]',
    ]);
  });

  test('two workloads alike (same namespace, labels and ports) still connect to each other; a workload to itself is not listed', () => {
    const a = deployment('shop', 'a', { tier: 'x' });
    const b = deployment('shop', 'b', { tier: 'x' });
    const policy = networkPolicy('shop', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'x' } } }], ports: [{ port: 80 }] }] });
    const { connections } = reach([a, b, policy]);
    expect(connections.get('shop/a[Deployment] => shop/b[Deployment]')).toBe('TCP 80');
    expect(connections.get('shop/b[Deployment] => shop/a[Deployment]')).toBe('TCP 80');
    expect(connections.has('shop/a[Deployment] => shop/a[Deployment]')).toBe(false);
  });

  test('a namespace\'s kubernetes.io/metadata.name label is its name, whatever a manifest says', () => {
    const policy = networkPolicy('shop', 'db', { podSelector: onlyDb, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }] }] });
    const client = deployment('other', 'client', {});
    const { connections } = reach([namespace('other', { 'kubernetes.io/metadata.name': 'forged' }), client, db, policy]);
    expect(connections.get('other/client[Deployment] => shop/db[Deployment]')).toBe('All Connections');
  });
});
