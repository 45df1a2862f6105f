import { inputError, quote } from './errors';

/** A container image reference split into its parts. */
export interface ImageReference {
  /** Registry host (and port), if the reference names one. */
  readonly registry?: string;
  /** Repository path, e.g. `acme/web`. */
  readonly repository: string;
  /** Tag, e.g. `1.4.2`. */
  readonly tag?: string;
  /** Digest, e.g. `sha256:0d1c…`. */
  readonly digest?: string;
}

/** Options of {@link validateImage}. */
export interface ImagePolicy {
  /** Refuse references that are not pinned by digest. */
  readonly requireDigest?: boolean;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REGISTRY = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;
const MUTABLE_TAGS = new Set(['latest', 'stable', 'main', 'master', 'edge', 'nightly', 'dev']);

/** Splits an image reference; returns undefined when it is not well formed. */
export function parseImage(image: string): ImageReference | undefined {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift();
    if (!REGISTRY.test(registry!)) return undefined;
  }
  if (parts.length === 0 || !parts.every((p) => PATH_COMPONENT.test(p))) return undefined;
  return { registry, repository: parts.join('/'), tag, digest };
}

/**
 * Checks that an image reference is well formed and pinned: a tag other than `latest` (or another
 * moving tag), or a `sha256` digest. With `requireDigest`, only digests are accepted.
 */
export function validateImage(where: string, image: string, policy: ImagePolicy = {}): ImageReference {
  const ref = parseImage(image);
  const name = ref ? [ref.registry, ref.repository].filter(Boolean).join('/') : image.split(/[:@]/)[0];
  if (!ref) {
    throw inputError(
      where,
      `image ${quote(image)} is not a valid image reference`,
      'use registry/repository:tag or registry/repository@sha256:<64 hex digits>, in lower case (e.g. ghcr.io/acme/web:1.4.2)',
    );
  }
  if (!ref.tag && !ref.digest) {
    throw inputError(
      where,
      `image ${quote(image)} has no tag, which means "latest" and can change under you`,
      `pin a version or digest (e.g. ${name}:1.2.3 or ${name}@sha256:…)`,
    );
  }
  if (!ref.digest && ref.tag && MUTABLE_TAGS.has(ref.tag.toLowerCase())) {
    throw inputError(
      where,
      `image ${quote(image)} uses the mutable tag ${quote(ref.tag)}`,
      `pin a version or digest (e.g. ${name}:1.2.3 or ${name}@sha256:…)`,
    );
  }
  if (policy.requireDigest && !ref.digest) {
    throw inputError(
      where,
      `image ${quote(image)} is not pinned by digest, and digests are required`,
      `append the digest the registry reports (e.g. ${name}${ref.tag ? ':' + ref.tag : ''}@sha256:…)`,
    );
  }
  return ref;
}
