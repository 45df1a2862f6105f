import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

// ClusterPolicy (kyverno.io/v1), typed by hand for the fields the library emits (a verifyImages rule), as
// sigstore.ts types the ClusterImagePolicy. The tests and CI validate the output against ../shared/crds/kyverno,
// strictly. Field reference: https://kyverno.io/docs/policy-types/cluster-policy/verify-images/

/** One Kyverno attestor entry: a keyless (Fulcio) identity or a public key. */
export interface KyvernoAttestorEntry {
  readonly keyless?: {
    readonly issuer: string;
    readonly subject: string;
    readonly rekor: { readonly url: string };
  };
  readonly keys?: { readonly publicKeys: string };
}

/** A set of attestors of which `count` must verify. */
export interface KyvernoAttestorSet {
  readonly count: number;
  readonly entries: KyvernoAttestorEntry[];
}

/** A condition on an attestation's predicate: a JMESPath `key` (in `{{ }}`), an operator and a value. */
export interface KyvernoCondition {
  readonly key: string;
  readonly operator: string;
  readonly value: unknown;
  readonly message?: string;
}

/** An attestation a verifyImages rule requires: its predicate type, who signed it, and conditions on its predicate. */
export interface KyvernoAttestation {
  readonly name?: string;
  readonly type: string;
  readonly attestors: KyvernoAttestorSet[];
  readonly conditions: Array<{ readonly all: KyvernoCondition[] }>;
}

/** One verifyImages entry. */
export interface KyvernoVerifyImages {
  readonly type: string;
  readonly imageReferences: string[];
  readonly failureAction: string;
  readonly mutateDigest: boolean;
  readonly verifyDigest: boolean;
  readonly required: boolean;
  readonly attestors: KyvernoAttestorSet[];
  readonly attestations?: KyvernoAttestation[];
}

/** The props of a ClusterPolicy with verifyImages rules. */
export interface KyvernoClusterPolicyProps {
  readonly metadata: {
    readonly name: string;
    readonly labels?: { readonly [key: string]: string };
    readonly annotations?: { readonly [key: string]: string };
  };
  readonly spec: {
    readonly background: boolean;
    readonly webhookConfiguration: { readonly failurePolicy: string; readonly timeoutSeconds: number };
    readonly rules: Array<{
      readonly name: string;
      readonly match: { readonly any: Array<{ readonly resources: { readonly kinds: string[] } }> };
      readonly verifyImages: KyvernoVerifyImages[];
    }>;
  };
}

/**
 * Builds a Kyverno ClusterPolicy from plain, typed props (as src/k8s/objects.ts's `kube` builds the other kinds).
 * @internal
 */
export function kyvernoClusterPolicy(scope: Construct, id: string, props: KyvernoClusterPolicyProps): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', ...(props as object) });
}
