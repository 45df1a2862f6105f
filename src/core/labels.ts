import { isLabelValue, validateLabels } from './names';

/** The tool recorded in `app.kubernetes.io/managed-by`. */
export const MANAGED_BY = 'cdk8s-hardened';

/** Inputs of the Kubernetes recommended labels. */
export interface RecommendedLabelsInput {
  /** app.kubernetes.io/name: the application, e.g. `web`. */
  readonly name: string;
  /** app.kubernetes.io/instance: this instance; equal to the workload's object name. */
  readonly instance: string;
  /**
   * app.kubernetes.io/version, e.g. the image tag. Omitted when undefined, and when it is not a valid label
   * value (an image tag may be 128 characters long or end in `-`): the label is informative, the tag is not wrong.
   */
  readonly version?: string;
  /** app.kubernetes.io/component, e.g. `server`, `database`, `migration`. */
  readonly component?: string;
  /** app.kubernetes.io/part-of: the larger application. */
  readonly partOf?: string;
}

/**
 * The Kubernetes recommended labels (app.kubernetes.io/name, instance, version, component, part-of,
 * managed-by), checked as label values.
 */
export function recommendedLabels(where: string, input: RecommendedLabelsInput): { [key: string]: string } {
  const labels: { [key: string]: string } = {
    'app.kubernetes.io/name': input.name,
    'app.kubernetes.io/instance': input.instance,
  };
  if (input.version !== undefined && isLabelValue(input.version)) labels['app.kubernetes.io/version'] = input.version;
  if (input.component !== undefined) labels['app.kubernetes.io/component'] = input.component;
  if (input.partOf !== undefined) labels['app.kubernetes.io/part-of'] = input.partOf;
  labels['app.kubernetes.io/managed-by'] = MANAGED_BY;
  return validateLabels(where, labels);
}

/**
 * The labels that select a workload's pods: its name and instance. They never change over the
 * workload's life (a Deployment's selector is immutable), unlike version or component.
 */
export function selectorLabels(labels: { [key: string]: string }): { [key: string]: string } {
  return {
    'app.kubernetes.io/name': labels['app.kubernetes.io/name'],
    'app.kubernetes.io/instance': labels['app.kubernetes.io/instance'],
  };
}

/** The label Kubernetes sets on every namespace to its name (immutable, since 1.22). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The namespace selector that matches exactly the named namespace. */
export function namespaceNamed(name: string): { matchLabels: { [key: string]: string } } {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: name } };
}
