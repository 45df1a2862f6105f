import { ApiObject, Chart, Testing } from 'cdk8s';
import { Policy, PolicyObject, PolicyPack, PolicyRule, RuleResult, Severity } from '../../src';

/** A rule that answers every evaluation with the results it is given (a careless or hostile custom rule). */
class AnsweringRule extends PolicyRule {
  constructor(private readonly answer: (objects: PolicyObject[]) => any[]) {
    super({ id: 'ACME-ANSWER', title: 'Answers as told', rationale: 'Test.', severity: Severity.ERROR, standard: 'ACME', fix: 'None.' });
  }
  public evaluate(objects: PolicyObject[]): RuleResult[] {
    return this.answer(objects);
  }
}

function reportWith(answer: (objects: PolicyObject[]) => any[]) {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  for (const name of ['a', 'b']) new ApiObject(chart, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
  return () => Policy.report(app, { packs: [PolicyPack.of('acme', [new AnsweringRule(answer)])] });
}

describe('RuleResult.objectIndex', () => {
  test('names the judged object by its position: the finding is about that object, the others are scored', () => {
    // GIVEN a rule that fails the second object and passes the first
    const report = reportWith(() => [{ objectIndex: 0, compliant: true }, { objectIndex: 1, compliant: false, message: 'b is wrong' }])();
    // THEN the finding names b, and both checks count
    expect(report.findings.map((f) => [f.path, f.name, f.message])).toEqual([['shop/b', 'b', 'b is wrong']]);
    expect(report.scores).toEqual([expect.objectContaining({ pack: 'acme', passed: 1, applicable: 2 })]);
  });

  test('a copy of a result (as a struct from another language arrives) still names its object', () => {
    // GIVEN a rule whose results are fresh copies, never the objects it was given
    const report = reportWith((objects) => JSON.parse(JSON.stringify(objects.map((_, objectIndex) => ({ objectIndex, compliant: false })))))();
    // THEN every object has its finding
    expect(report.findings.map((f) => f.name)).toEqual(['a', 'b']);
  });

  test.each([
    ['past the end', 2, /names object 2, but the rule was given objects 0 to 1/],
    ['negative', -1, /names object -1, but the rule was given objects 0 to 1/],
    ['not an integer', 0.5, /names object 0.5, but the rule was given objects 0 to 1/],
    ['a string', '1', /names object "1", but the rule was given objects 0 to 1/],
    ['missing', undefined, /names object undefined, but the rule was given objects 0 to 1/],
  ])('an index %s is an error naming the rule, not a dropped result', (_, objectIndex, message) => {
    // GIVEN a rule answering with a bad index WHEN evaluated THEN the error names the rule and the range
    const evaluate = reportWith(() => [{ objectIndex, compliant: false }]);
    expect(evaluate).toThrow(/^Rule ACME-ANSWER: /);
    expect(evaluate).toThrow(message);
  });
});
