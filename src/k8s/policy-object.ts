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
  // Any YAML reaches here (the CLI): fields that are not strings read as unset, so no rule trips over them.
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    manifest,
    path,
    apiVersion: text(manifest?.apiVersion) ?? '',
    kind: text(manifest?.kind) ?? '',
    name: text(manifest?.metadata?.name) ?? '',
    namespace: text(manifest?.metadata?.namespace),
  };
}

/** `Kind/namespace/name` for messages. */
/** @internal */
export function describeObject(object: PolicyObject): string {
  return [object.kind, object.namespace, object.name].filter(Boolean).join('/');
}
