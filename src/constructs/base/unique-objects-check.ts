import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';

const UNIQUE_OBJECTS_ID = 'cdk8s-hardened.UniqueObjects';

/**
 * A chart with one of our constructs gets this check once (a child of the chart, found by its id: no state
 * outside the tree): two objects of one kind with one name in one namespace would overwrite each other at
 * apply, whichever constructs emitted them. The error names both construct paths.
 */
export class UniqueObjectsCheck extends Construct {
  /** Adds the check to the chart, unless it has it. */
  public static ensure(chart: Chart): void {
    if (!chart.node.tryFindChild(UNIQUE_OBJECTS_ID)) new UniqueObjectsCheck(chart);
  }

  private constructor(chart: Chart) {
    super(chart, UNIQUE_OBJECTS_ID);
    this.node.addValidation({ validate: () => duplicateObjects(chart) });
  }
}

function duplicateObjects(chart: Chart): string[] {
  const seen = new Map<string, ApiObject>();
  const errors: string[] = [];
  for (const object of chart.node.findAll()) {
    if (!(object instanceof ApiObject) || Chart.of(object) !== chart) continue;
    const key = `${object.apiGroup}/${object.kind}/${object.metadata.namespace ?? ''}/${object.name}`;
    const other = seen.get(key);
    if (other) {
      errors.push(
        `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.name} is emitted twice, by ${other.node.path} and ` +
        `${object.node.path}, and the second would overwrite the first at apply; give one of the constructs another name`,
      );
    } else {
      seen.set(key, object);
    }
  }
  return errors;
}
