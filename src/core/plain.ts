import { k8s } from 'cdk8s-plus-27';

/**
 * A low-level Kubernetes type as it appears in a manifest: IntOrString and Quantity are plain numbers or
 * strings; a string enum is the union of its values. The constructs build manifests as plain data and skip the
 * generated classes' per-field conversion, which is most of what serializing them costs.
 */
export type Plain<T> =
  // Only IntOrString and Quantity themselves (a `value` and nothing else): props with a numeric `value` and other
  // fields, such as a PriorityClass's, match them structurally but are objects.
  T extends k8s.IntOrString | k8s.Quantity ? ([Exclude<keyof T, 'value'>] extends [never] ? number | string : { [K in keyof T]: Plain<T[K]> }) :
    T extends Array<infer U> ? Array<Plain<U>> :
      T extends object ? { [K in keyof T]: Plain<T[K]> } :
        // A string enum of a generated class (e.g. Istio's `REGISTRY_UNDERSCORE_ONLY = "REGISTRY_ONLY"`) is its values.
        T extends string ? `${T}` : T;
