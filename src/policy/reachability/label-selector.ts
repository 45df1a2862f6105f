// Label selectors as the API server validates them (metav1.LabelSelector): what it refuses, the evaluator refuses too.

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Whether a value is a plain object (not null, not a list). */
export function isPlainObject(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * What the API server would refuse in a label selector (undefined when it is valid): matchLabels that is not a map of
 * strings, matchExpressions that is not a list, an unknown operator, `In`/`NotIn` without values, `Exists`/
 * `DoesNotExist` with values.
 * @param selector the selector (`{}` selects everything)
 * @param where where it is, for the message (e.g. `spec.podSelector`): worded only for a problem (most selectors have none)
 */
export function labelSelectorProblem(selector: unknown, where: () => string): string | undefined {
  if (!isPlainObject(selector)) return `${where()} is ${describeValue(selector)}, not a label selector`;
  const { matchLabels, matchExpressions } = selector;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isPlainObject(matchLabels)) return `${where()}.matchLabels is ${describeValue(matchLabels)}, not a map of labels`;
    for (const key of Object.keys(matchLabels)) {
      if (typeof matchLabels[key] !== 'string') return `${where()}.matchLabels.${key} is ${describeValue(matchLabels[key])}, not a string`;
    }
  }
  if (matchExpressions === undefined || matchExpressions === null) return undefined;
  if (!Array.isArray(matchExpressions)) return `${where()}.matchExpressions is ${describeValue(matchExpressions)}, not a list`;
  for (let i = 0; i < matchExpressions.length; i++) {
    const expression = matchExpressions[i];
    const at = () => `${where()}.matchExpressions[${i}]`;
    if (!isPlainObject(expression) || typeof expression.key !== 'string') return `${at()} has no key`;
    if (!OPERATORS.includes(expression.operator)) {
      return `${at()} has operator ${JSON.stringify(expression.operator)}; the API server accepts only ${OPERATORS.join(', ')}`;
    }
    const values = expression.values ?? [];
    if (!Array.isArray(values) || values.some((v: unknown) => typeof v !== 'string')) return `${at()}.values is not a list of strings`;
    const needsValues = expression.operator === 'In' || expression.operator === 'NotIn';
    if (needsValues && values.length === 0) return `${at()} (${expression.operator}) has no values`;
    if (!needsValues && values.length > 0) return `${at()} (${expression.operator}) has values`;
  }
  return undefined;
}

/** A value's type in words, for messages: `a string`, `a list`, `null`, `missing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value} (${JSON.stringify(value)})`;
}
