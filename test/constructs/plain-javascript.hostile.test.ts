// Hostile input across the constructs: plain JavaScript callers get construct-path errors, never a TypeError.
import { EgressAllowlist, EgressTarget } from '../../src';
import { errorOf, testChart } from '../support/helpers';
import { mongo, withWeb } from '../support/workloads';

describe('hostile input: plain JavaScript gets construct-path errors, never a TypeError', () => {
  const PATH = /^ExternalMongoService shop\/mongo: /;

  test.each([
    ['null', null],
    ['a string', 'web'],
    ['an object without a node', {}],
  ])('ExternalMongoService.allowFrom(%s) gives the construct-path error', (_what, workload) => {
    const { chart } = testChart();
    const db = mongo(chart, 'mongo');
    const error = errorOf(() => db.allowFrom(workload as any));
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(PATH);
  });

  test('ExternalMongoService.allowFrom(web, null) gives the construct-path error', () => {
    const { chart, web } = withWeb();
    const db = mongo(chart, 'mongo');
    const error = errorOf(() => db.allowFrom(web, null as any));
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(PATH);
  });

  test('EgressAllowlist with a workload whose toPodSelectorConfig is not a function gives the construct-path error', () => {
    const { chart } = testChart();
    const error = errorOf(() => new EgressAllowlist(chart, 'egress', {
      workload: { toPodSelectorConfig: 1 } as any, allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })],
    }));
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^EgressAllowlist shop\/egress: workload/);
  });
});
