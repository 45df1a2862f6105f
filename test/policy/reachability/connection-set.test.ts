import { ConnectionSet } from '../../../src/policy/reachability/connection-set';
import { EVERY_PORT, intersectPorts, NO_PORTS, unionPorts } from '../../../src/policy/reachability/port-ranges';

describe('port ranges', () => {
  test('union merges overlapping and adjacent ranges, keeps gaps', () => {
    expect(unionPorts([1, 5, 10, 20], [6, 8, 21, 30, 40, 40])).toEqual([1, 8, 10, 30, 40, 40]);
    expect(unionPorts([1, 5], [3, 4])).toEqual([1, 5]);
    expect(unionPorts(NO_PORTS, [3, 4])).toEqual([3, 4]);
    expect(unionPorts([1, 100], [101, 65535])).toEqual(EVERY_PORT);
  });

  test('intersection keeps what both hold', () => {
    expect(intersectPorts([1, 10, 20, 30], [5, 25])).toEqual([5, 10, 20, 25]);
    expect(intersectPorts([1, 10], [11, 20])).toEqual(NO_PORTS);
    expect(intersectPorts(EVERY_PORT, [80, 80])).toEqual([80, 80]);
  });
});

describe('ConnectionSet', () => {
  test('ALL and NONE are the ends, and every port of every protocol is ALL itself', () => {
    const all = ConnectionSet.everyPortOf('TCP').union(ConnectionSet.everyPortOf('UDP')).union(ConnectionSet.everyPortOf('SCTP'));
    expect(all).toBe(ConnectionSet.ALL);
    expect(ConnectionSet.ports('TCP', 80).intersect(ConnectionSet.ports('UDP', 80))).toBe(ConnectionSet.NONE);
    expect(ConnectionSet.ports('TCP', 90, 80)).toBe(ConnectionSet.NONE);
  });

  test('written as netpol-analyzer writes it: protocols in name order, single ports and ranges', () => {
    const set = ConnectionSet.ports('UDP', 10053).union(ConnectionSet.ports('TCP', 10053, 10054)).union(ConnectionSet.ports('SCTP', 7070));
    expect(set.toString()).toBe('SCTP 7070,TCP 10053-10054,UDP 10053');
    expect(ConnectionSet.ALL.toString()).toBe('All Connections');
    expect(ConnectionSet.NONE.toString()).toBe('No Connections');
    expect(set.portsOf('TCP')).toEqual([{ first: 10053, last: 10054 }]);
    expect(set.has('TCP', 10054)).toBe(true);
    expect(set.has('UDP', 10054)).toBe(false);
  });

  test('intersection and union per protocol', () => {
    const a = ConnectionSet.ports('TCP', 1, 100).union(ConnectionSet.ports('UDP', 53));
    const b = ConnectionSet.ports('TCP', 50, 200);
    expect(a.intersect(b).toString()).toBe('TCP 50-100');
    expect(a.union(b).toString()).toBe('TCP 1-200,UDP 53');
    expect(a.intersect(ConnectionSet.ALL)).toBe(a);
    expect(a.union(ConnectionSet.NONE)).toBe(a);
    expect(a.union(b).equals(b.union(a))).toBe(true);
  });
});
