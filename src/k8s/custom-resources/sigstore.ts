// ClusterImagePolicy (policy.sigstore.dev/v1alpha1, the storage version: v1beta1 is served only through the
// controller's conversion webhook), typed by hand for the fields the library emits, as src/kube types the core kinds.
// The tests and CI validate the output against ../shared/crds/sigstore-policy-controller, strictly.

/** Who must have signed an image: a Fulcio certificate identity (keyless) or a public key. */
export interface SigstoreAuthority {
  readonly keyless?: {
    readonly url: string;
    readonly identities: Array<{ readonly issuer: string; readonly subject: string }>;
  };
  readonly key?: { readonly data: string; readonly hashAlgorithm: string };
}

/** The props of a ClusterImagePolicy. */
export interface ClusterImagePolicyProps {
  readonly metadata: { readonly name: string; readonly labels?: { readonly [key: string]: string } };
  readonly spec: {
    /** `enforce` (deny) or `warn`. */
    readonly mode: string;
    readonly images: Array<{ readonly glob: string }>;
    readonly authorities: SigstoreAuthority[];
  };
}
