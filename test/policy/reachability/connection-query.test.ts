import { deployment, networkPolicy } from './support';
import { ConnectionQuery, QueryPeer } from '../../../src/policy/reachability/connection-query';
import { ConnectionSet } from '../../../src/policy/reachability/connection-set';
import { ReachabilityEndpoint } from '../../../src/policy/reachability/construct-reachability';

const web = deployment('shop', 'web', { app: 'web' });
const peerOf = (query: ConnectionQuery, name: string): QueryPeer => ConnectionQuery.workloadPeer(query.workloads.find((w) => w.name === name)!);
const host = (name: string) => ReachabilityEndpoint.host(name)._peer as QueryPeer;
const address = (ip: string) => ReachabilityEndpoint.address(ip)._peer as QueryPeer;
const tcp = (port: number) => ConnectionSet.ports('TCP', port);

describe('named hosts and address blocks', () => {
  test('a NetworkPolicy admits a host only when its blocks hold every public address', () => {
    // GIVEN web allowed 443 to the internet (private ranges excepted) and 5432 to one /32
    const policy = networkPolicy('shop', 'web', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }], ports: [{ port: 443 }] },
        { to: [{ ipBlock: { cidr: '203.0.113.7/32' } }], ports: [{ port: 5432 }] },
      ],
    });
    const query = new ConnectionQuery([web, policy]);
    // THEN a host on 443 yes, on 5432 no (the /32 is not the host, whatever it resolves to)
    expect(query.judge(peerOf(query, 'web'), host('api.example.com'), tcp(443)).allowed.isEmpty).toBe(false);
    const denied = query.judge(peerOf(query, 'web'), host('db.example.com'), tcp(5432));
    expect(denied.allowed.isEmpty).toBe(true);
    expect(denied.reason).toBe('shop/web[Deployment] cannot reach db.example.com[host] on TCP 5432: denied by egress of shop/web[Deployment] '
      + '(NetworkPolicy shop/web): no rule admits TCP 5432 to db.example.com[host]');
    // AND the /32 itself on 5432, named by its rule
    expect(query.judge(peerOf(query, 'web'), address('203.0.113.7'), tcp(5432)).reason).toMatch(/admitted by NetworkPolicy shop\/web egress rule 1$/);
  });
});

describe('Cilium', () => {
  const cnp = (spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'web', namespace: 'shop' }, spec });

  test('rules add up with NetworkPolicies; egressDeny wins', () => {
    // GIVEN a NetworkPolicy isolating web's egress, and a Cilium policy allowing a host and every address but denying metadata
    const deny = networkPolicy('shop', 'deny', { podSelector: {}, policyTypes: ['Egress'] });
    const policy = cnp({
      endpointSelector: { matchLabels: { 'k8s:app': 'web' } },
      egress: [{ toFQDNs: [{ matchPattern: '*.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }, { toCIDR: ['0.0.0.0/0'] }],
      egressDeny: [{ toCIDRSet: [{ cidr: '169.254.0.0/16' }] }],
    });
    const query = new ConnectionQuery([web, deny, policy]);
    const from = peerOf(query, 'web');
    // THEN the host by pattern on 443; an address by the CIDR; metadata denied, with the deny rule named
    expect(query.judge(from, host('api.example.com'), tcp(443)).reason).toMatch(/admitted by CiliumNetworkPolicy shop\/web egress rule 0/);
    expect(query.judge(from, address('8.8.8.8'), tcp(80)).allowed.isEmpty).toBe(false);
    const metadata = query.judge(from, address('169.254.169.254'), tcp(80));
    expect(metadata.allowed.isEmpty).toBe(true);
    expect(metadata.reason).toMatch(/CiliumNetworkPolicy shop\/web egressDeny rule 0; deny wins/);
  });

  test('a policy selecting a pod puts it in default deny for its direction only', () => {
    // GIVEN a Cilium policy with an ingress rule only
    const query = new ConnectionQuery([web, cnp({ endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{ fromEndpoints: [{}] }] })]);
    // THEN web's egress is open, its ingress from outside is not
    expect(query.judge(peerOf(query, 'web'), address('8.8.8.8'), ConnectionSet.ALL).allowed.isAll).toBe(true);
    expect(query.judge(address('8.8.8.8'), peerOf(query, 'web'), ConnectionSet.ALL).allowed.isEmpty).toBe(true);
  });
});

describe('cluster DNS', () => {
  test('kube-dns is taken to exist when the manifests have none', () => {
    const query = new ConnectionQuery([web]);
    expect(query.implicitDns).toBe(true);
    expect(query.judge(peerOf(query, 'web'), ConnectionQuery.workloadPeer(query.clusterDns), ConnectionSet.ports('UDP', 53)).allowed.isEmpty).toBe(false);
  });
});

describe('ConnectionSet.subtract', () => {
  test('takes ports away per protocol', () => {
    const set = ConnectionSet.ports('TCP', 1, 100).union(ConnectionSet.ports('UDP', 53));
    expect(set.subtract(ConnectionSet.ports('TCP', 10, 20)).toString()).toBe('TCP 1-9,21-100,UDP 53');
    expect(set.subtract(ConnectionSet.ALL).isEmpty).toBe(true);
    expect(ConnectionSet.ALL.subtract(ConnectionSet.everyPortOf('TCP')).toString()).toBe('SCTP 1-65535,UDP 1-65535');
  });
});
