import type { NamespaceMesh } from './namespace-mesh';

/** A namespace that constructs can be placed in, by reference rather than by repeating its name. */
export interface INamespaceRef {
  /** The namespace's name. */
  readonly namespaceName: string;
  /**
   * The service mesh of the namespace: workloads placed in it add the mesh's authorization (an ALLOW
   * AuthorizationPolicy from their ingress peers) to their NetworkPolicy.
   * @default - no mesh
   */
  readonly mesh?: NamespaceMesh;
}
