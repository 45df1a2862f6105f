import { EvaluatedObject } from './evaluated-object';

/** One synthesized Kubernetes object as the policy engine sees it. */
export interface PolicyObject {
  /** The manifest as synthesized (JSON). */
  readonly manifest: any;
  /** The construct path of the object, e.g. `shop/web/Deployment`. */
  readonly path: string;
  /** `apiVersion` of the manifest. */
  readonly apiVersion: string;
  /** `kind` of the manifest. */
  readonly kind: string;
  /** `metadata.name`. */
  readonly name: string;
  /**
   * `metadata.namespace`.
   * @default - none (cluster-scoped, or the namespace of the kubectl context)
   */
  readonly namespace?: string;
}

/** Builds a PolicyObject from a manifest and its construct path. */
/** @internal */
export function policyObject(manifest: any, path: string): PolicyObject {
  return new EvaluatedObject(manifest, path);
}

/** `Kind/namespace/name` for messages. */
/** @internal */
export function describeObject(object: PolicyObject): string {
  return [object.kind, object.namespace, object.name].filter(Boolean).join('/');
}
