// Hostile peers of ingress rules (toKubePeers, toKubePeerList): a peer or a peer list that admits everybody is refused.
import * as kplus from 'cdk8s-plus-27';
import { toKubePeerList, toKubePeers } from '../../../src/constructs/network/peers';
import { errorOf, testChart } from '../../support/helpers';

describe('hostile input: peers of ingress rules (toKubePeers)', () => {
  const where = 'SecureDeployment shop/web';

  test.each<[string, (chart: kplus.Pods['node']['scope'] & any) => kplus.INetworkPolicyPeer, RegExp]>([
    ['Namespaces.all()', (chart) => kplus.Namespaces.all(chart, 'all'), /allowIngressFrom peer shop\/all has namespaceSelector \{\} and podSelector \{\}: it admits every pod of every namespace; name the peers/],
    ['Pods.all() in every namespace', (chart) => kplus.Pods.all(chart, 'p', { namespaces: kplus.Namespaces.all(chart, 'n') }), /admits every pod of every namespace/],
    ['Peer.anyIpv4()', (chart) => kplus.NetworkPolicyIpBlock.anyIpv4(chart, 'any'), /ipBlock 0.0.0.0\/0 covers every IPv4 address: it admits every source/],
    ['Peer.anyIpv6()', (chart) => kplus.NetworkPolicyIpBlock.anyIpv6(chart, 'any'), /ipBlock ::\/0 covers every IPv6 address/],
    ['0.0.0.0/0 with except', (chart) => kplus.NetworkPolicyIpBlock.ipv4(chart, 'any', '0.0.0.0/0', ['10.0.0.0/8']), /covers every IPv4 address/],
    ['an except outside the block', (chart) => kplus.NetworkPolicyIpBlock.ipv4(chart, 'b', '10.0.0.0/16', ['10.1.0.0/24']), /except block "10.1.0.0\/24" lies outside/],
    ['a block with host bits', (chart) => kplus.NetworkPolicyIpBlock.ipv4(chart, 'b', '10.0.0.1/8'), /has host bits set; use the network "10.0.0.0\/8"/],
  ])('%s is refused', (_, make, message) => {
    // GIVEN a peer that admits everyone (or the API server refuses) / WHEN converted / THEN refused with the construct path
    const { chart } = testChart();
    const error = errorOf(() => toKubePeers(where, make(chart)));
    expect(error.message).toMatch(/^SecureDeployment shop\/web: /);
    expect(error.message).toMatch(message);
  });

  test('named peers are converted as before', () => {
    const { chart } = testChart();
    expect(toKubePeers(where, kplus.Pods.select(chart, 'gw', { labels: { app: 'gateway' } }))).toEqual([{ podSelector: { matchLabels: { app: 'gateway' } } }]);
    expect(toKubePeers(where, kplus.Namespaces.select(chart, 'ns', { names: ['ingress'] }))).toEqual([
      { podSelector: {}, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } },
    ]);
    expect(toKubePeers(where, kplus.NetworkPolicyIpBlock.ipv4(chart, 'lb', '10.0.0.0/24'))).toEqual([{ ipBlock: { cidr: '10.0.0.0/24' } }]);
  });

  test('a peer list: empty, or halves that together cover a family, are refused', () => {
    const { chart } = testChart();
    expect(() => toKubePeerList(where, 'allowIngressFrom', [])).toThrow(/allowIngressFrom is an empty list, which a NetworkPolicy reads as "every source"/);
    const halves = [kplus.NetworkPolicyIpBlock.ipv4(chart, 'a', '0.0.0.0/1'), kplus.NetworkPolicyIpBlock.ipv4(chart, 'b', '128.0.0.0/1')];
    expect(() => toKubePeerList(where, 'allowIngressFrom', halves)).toThrow(/the peers of allowIngressFrom together: the ipBlocks of from\[0\], from\[1\] cover every IPv4 address/);
    expect(() => toKubePeerList(where, 'allowIngressFrom', 'gateway' as any)).toThrow(/allowIngressFrom is a string, not a list/);
    expect(() => toKubePeers(where, 'gateway' as any)).toThrow(/^SecureDeployment shop\/web: allowIngressFrom peer is a string, not a network-policy peer/);
  });
});
