import { createPublicKey } from 'crypto';
import { inputError, quote } from '../../core/errors';
import { checkOptionalString, checkPropsObject, checkString, PropKeys } from '../../core/prop-checks';
import { KyvernoAttestorEntry } from '../../k8s/custom-resources/kyverno';
import { SigstoreAuthority } from '../../k8s/custom-resources/sigstore';
import { parseUrl, shownUrl } from '../../parsers/url';

/** A keyless (Sigstore Fulcio) signing identity. */
export interface KeylessSignerOptions {
  /** The OIDC issuer of the signing identity, e.g. `https://token.actions.githubusercontent.com`. */
  readonly issuer: string;
  /**
   * The identity that signs, matched exactly: for GitHub Actions the workflow reference, e.g.
   * `https://github.com/acme/web/.github/workflows/release.yaml@refs/heads/main`; for a person an e-mail address.
   */
  readonly subject: string;
  /**
   * The Fulcio certificate authority that issued the signing certificates.
   * @default "https://fulcio.sigstore.dev" (the public Sigstore instance)
   */
  readonly fulcioUrl?: string;
}

const KEYLESS_SIGNER_OPTIONS: PropKeys<KeylessSignerOptions> = { issuer: true, subject: true, fulcioUrl: true };

const PUBLIC_FULCIO = 'https://fulcio.sigstore.dev';
/** The public Rekor transparency log, which Kyverno's keyless examples name (https://kyverno.io/docs/writing-policies/verify-images/sigstore/). */
const PUBLIC_REKOR = 'https://rekor.sigstore.dev';

/** Who must have signed an image: a keyless identity (Sigstore Fulcio certificate) or a public key (cosign). */
export class ImageSigner {
  /** Keyless signing: a certificate from Fulcio for exactly this issuer and subject. */
  public static keyless(options: KeylessSignerOptions): ImageSigner {
    return new ImageSigner((where) => {
      checkPropsObject(where, options, KEYLESS_SIGNER_OPTIONS, 'the options of ImageSigner.keyless');
      const issuer = httpsUrl(where, 'issuer of ImageSigner.keyless', options.issuer);
      const subject = checkString(where, 'subject of ImageSigner.keyless', options.subject).trim();
      if (subject === '' || /[*\s]/.test(subject)) {
        throw inputError(where, `the subject of ImageSigner.keyless ${quote(options.subject)} is empty, has blanks or a wildcard, and is matched exactly`,
          'name the one identity that signs, e.g. "https://github.com/acme/web/.github/workflows/release.yaml@refs/heads/main"');
      }
      const url = httpsUrl(where, 'fulcioUrl of ImageSigner.keyless', checkOptionalString(where, 'fulcioUrl of ImageSigner.keyless', options.fulcioUrl) ?? PUBLIC_FULCIO);
      return { keyless: { url, identities: [{ issuer, subject }] } };
    });
  }

  /** Signing with a key pair (`cosign generate-key-pair`): the PEM public key that verifies the signatures. */
  public static publicKey(pem: string): ImageSigner {
    return new ImageSigner((where) => {
      const text = checkString(where, 'the key of ImageSigner.publicKey', pem).replace(/\r\n/g, '\n').trim();
      // Never echo the value: a private key passed by mistake must not reach an error log.
      if (/PRIVATE KEY/.test(text)) {
        throw inputError(where, 'ImageSigner.publicKey was given a private key, which must never be in a manifest (and anyone who reads it can sign)',
          'pass the public key (cosign.pub, or `cosign public-key --key cosign.key`), and rotate the private key if it was committed');
      }
      // Exactly one block: policy-controller would read only the first of several.
      let valid = /^-----BEGIN PUBLIC KEY-----\n[^-]+\n-----END PUBLIC KEY-----$/.test(text);
      try {
        if (valid) createPublicKey(text);
      } catch {
        valid = false;
      }
      if (!valid) {
        throw inputError(where, 'the key of ImageSigner.publicKey is not a PEM public key', 'pass the text of cosign.pub ("-----BEGIN PUBLIC KEY-----" …)');
      }
      return { key: { data: `${text}\n`, hashAlgorithm: 'sha256' } };
    });
  }

  private constructor(private readonly render: (where: string) => SigstoreAuthority) {}

  /**
   * The policy-controller authority.
   * @internal
   */
  public _authority(where: string): SigstoreAuthority {
    return this.render(where);
  }

  /**
   * The Kyverno attestor entry. Kyverno's keyless attestor names no Fulcio URL (it trusts the public Sigstore roots
   * unless given `roots`), so a private Fulcio is refused here rather than silently trusting the public one.
   * @internal
   */
  public _kyvernoEntry(where: string): KyvernoAttestorEntry {
    const authority = this.render(where);
    if (authority.keyless !== undefined) {
      if (authority.keyless.url !== PUBLIC_FULCIO) {
        throw inputError(where, `Kyverno's keyless attestor cannot name the Fulcio ${quote(authority.keyless.url)}: it verifies against the public Sigstore roots`,
          'sign with a key (ImageSigner.publicKey) or render for policy-controller (ImageVerificationEngine.POLICY_CONTROLLER)');
      }
      const [{ issuer, subject }] = authority.keyless.identities;
      return { keyless: { issuer, subject, rekor: { url: PUBLIC_REKOR } } };
    }
    return { keys: { publicKeys: authority.key!.data } };
  }
}

function httpsUrl(where: string, what: string, value: unknown): string {
  const text = checkString(where, what, value);
  const url = parseUrl(text);
  if (url === undefined || url.protocol !== 'https:' || url.username !== '' || url.password !== '' || /[\s*]/.test(text)) {
    throw inputError(where, `the ${what} ${shownUrl(text, url)} is not an https URL without credentials or wildcards`,
      'pass the exact https URL, e.g. "https://token.actions.githubusercontent.com"');
  }
  return text;
}
