// ClusterImagePolicy (policy.sigstore.dev/v1alpha1, the storage version: v1beta1 is served only through the
// controller's conversion webhook), typed by hand for the fields the library emits, as src/kube types the core kinds.
// The tests and CI validate the output against ../shared/crds/sigstore-policy-controller, strictly.

/**
 * An attestation an authority requires, and the policy its statement must pass: policy-controller hands the
 * policy the whole in-toto statement (`predicateType`, `subject`, `predicate`) as `input` (Rego) or unifies it with
 * the CUE (sigstore/policy-controller pkg/policy/attestation.go AttestationToPayloadJSON, pkg/policy/eval.go).
 */
export interface SigstoreAttestation {
  readonly name: string;
  /** A cosign `--type` (`vuln`, `slsaprovenance`, …) or a predicate type URI. */
  readonly predicateType: string;
  readonly policy?: { readonly type: string; readonly data: string };
}

/** Who must have signed an image (or its attestations): a Fulcio certificate identity (keyless) or a public key. */
export interface SigstoreAuthority {
  readonly name?: string;
  readonly keyless?: {
    readonly url: string;
    readonly identities: Array<{ readonly issuer: string; readonly subject: string }>;
  };
  readonly key?: { readonly data: string; readonly hashAlgorithm: string };
  /** With attestations, the authority verifies these attestations (signed by its identity) instead of signatures. */
  readonly attestations?: SigstoreAttestation[];
}

/** The props of a ClusterImagePolicy. */
export interface ClusterImagePolicyProps {
  readonly metadata: {
    readonly name: string;
    readonly labels?: { readonly [key: string]: string };
    readonly annotations?: { readonly [key: string]: string };
  };
  readonly spec: {
    /** `enforce` (deny) or `warn`. */
    readonly mode: string;
    readonly images: Array<{ readonly glob: string }>;
    readonly authorities: SigstoreAuthority[];
  };
}
