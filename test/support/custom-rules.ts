import { PolicyObject, PolicyRule, RuleResult, Severity } from '../../src';

/**
 * A custom rule for tests: an object named `debug` is non-compliant; it counts how many times it judged. Its fix is in
 * manifest terms, with a construct hint beside it.
 */
export class NoDebugNamesRule extends PolicyRule {
  /** How many times the rule judged a set of objects. */
  public evaluations = 0;
  constructor() {
    super({
      id: 'ACME-NO-DEBUG',
      title: 'No object is called debug',
      rationale: 'Debug objects are left behind.',
      severity: Severity.ERROR,
      standard: 'ACME platform rules',
      fix: 'Rename it (metadata.name).',
      constructFix: 'Give the construct another id.',
    });
  }
  public evaluate(objects: PolicyObject[]): RuleResult[] {
    this.evaluations++;
    return objects.map((object, objectIndex) => ({ objectIndex, compliant: object.name !== 'debug' }));
  }
}
