/**
 * The admission controller that enforces an {@link ImageVerification}: Sigstore policy-controller (a
 * `ClusterImagePolicy`) or Kyverno (a `ClusterPolicy` with a `verifyImages` rule). Install the one you choose.
 */
export class ImageVerificationEngine {
  /** Sigstore policy-controller: ClusterImagePolicies (policy.sigstore.dev/v1alpha1), in opted-in namespaces only. */
  public static readonly POLICY_CONTROLLER = new ImageVerificationEngine('PolicyController');
  /** Kyverno: a ClusterPolicy (kyverno.io/v1) whose verifyImages rule checks every Pod's images. */
  public static readonly KYVERNO = new ImageVerificationEngine('Kyverno');

  private constructor(
    /** The engine's name. */
    public readonly name: string,
  ) {}

  /**
   * Whether this is Kyverno.
   * @internal
   */
  public _isKyverno(): boolean {
    return this === ImageVerificationEngine.KYVERNO;
  }
}
