/** A namespace that constructs can be placed in, by reference rather than by repeating its name. */
export interface INamespaceRef {
  /** The namespace's name. */
  readonly namespaceName: string;
}
