import { isPlainObject } from './label-selector';
import { NAMESPACE_NAME_LABEL } from '../../core/labels';

/**
 * The labels of each namespace that namespaceSelectors match: those of the Namespace objects given, and for every
 * namespace (also one that only appears as an object's metadata.namespace) `kubernetes.io/metadata.name` with its
 * name, which the API server sets on every namespace and lets no one change.
 */
export class NamespaceLabels {
  private readonly declared = new Map<string, { readonly [key: string]: string }>();

  /** @param manifests the manifests; their Namespace objects (core v1) are read */
  public constructor(manifests: readonly any[]) {
    for (const manifest of manifests) {
      if (manifest?.kind !== 'Namespace' || manifest.apiVersion !== 'v1') continue;
      const name = manifest.metadata?.name;
      if (typeof name !== 'string') continue;
      const labels = isPlainObject(manifest.metadata.labels) ? manifest.metadata.labels : {};
      const strings = Object.fromEntries(Object.entries(labels).filter(([, v]) => typeof v === 'string')) as { [key: string]: string };
      this.declared.set(name, { ...strings, [NAMESPACE_NAME_LABEL]: name });
    }
  }

  /** The labels of the namespace. */
  public of(namespace: string): { readonly [key: string]: string } {
    return this.declared.get(namespace) ?? { [NAMESPACE_NAME_LABEL]: namespace };
  }
}
