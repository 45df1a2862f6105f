import { describeCredentialKind, findCredentials } from './credentials';
import { inputError, quote } from '../core/errors';

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

// The grammar of a reference, as regular-expression sources valid in JavaScript and in RE2 (the CEL form uses them too).
const PATH_COMPONENT_SOURCE = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG_SOURCE = '[\\w][\\w.-]{0,127}';
const DIGEST_SOURCE = 'sha256:[a-f0-9]{64}';
const HOST_LABEL_SOURCE = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const IPV6_SOURCE = '\\[[0-9a-fA-F:]+\\]';
const PORT_SOURCE = '(?::[0-9]+)?';
const PATH_COMPONENT = new RegExp(`^${PATH_COMPONENT_SOURCE}$`);
const TAG = new RegExp(`^${TAG_SOURCE}$`);
const DIGEST = new RegExp(`^${DIGEST_SOURCE}$`);
const REGISTRY = new RegExp(`^(?:${HOST_LABEL_SOURCE}(?:\\.${HOST_LABEL_SOURCE})*|${IPV6_SOURCE})${PORT_SOURCE}$`);
/** `user:password@` (optionally after a scheme) before the first `/` of a reference: credentials, never part of an image name. */
const USER_INFO = /^(?:[a-z][a-z0-9+.-]*:\/\/)?[^/@\s]+:[^/@\s]*@/i;
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

/** What is wrong with an image reference and how to fix it. */
export interface ImageProblem {
  readonly problem: string;
  readonly fix: string;
}

/**
 * Why an image reference is not well formed or not pinned (a tag other than `latest` or another
 * moving tag, or a `sha256` digest; only digests with `requireDigest`); undefined when it is fine.
 */
export function imageProblem(image: string, policy: ImagePolicy = {}): ImageProblem | undefined {
  if (typeof image !== 'string') {
    return { problem: `image is ${image === undefined ? 'missing' : typeof image}, not a string`, fix: 'pass the image reference as a string, e.g. "ghcr.io/acme/web:1.4.2"' };
  }
  const ref = parseImage(image);
  if (!ref) {
    const secret = USER_INFO.test(image) ? 'registry credentials (user:password@)' : findCredentials(image).map((match) => describeCredentialKind(match.kind))[0];
    if (secret) {
      // Never echo it: the reference is written nowhere, and the message must not carry it either.
      return {
        problem: `image reference carries ${secret}, which would be written into the manifest in clear text`,
        fix: 'remove them from the reference; give the registry credentials as imagePullSecrets (a kubernetes.io/dockerconfigjson Secret)',
      };
    }
    return {
      problem: `image ${quote(image)} is not a valid image reference`,
      fix: 'use registry/repository:tag or registry/repository@sha256:<64 hex digits>, in lower case (e.g. ghcr.io/acme/web:1.4.2)',
    };
  }
  const name = [ref.registry, ref.repository].filter(Boolean).join('/');
  const pin = `pin a version or digest (e.g. ${name}:1.2.3 or ${name}@sha256:…)`;
  if (!ref.tag && !ref.digest) {
    return { problem: `image ${quote(image)} has no tag, which means "latest" and can change under you`, fix: pin };
  }
  if (!ref.digest && ref.tag && MUTABLE_TAGS.has(ref.tag.toLowerCase())) {
    return { problem: `image ${quote(image)} uses the mutable tag ${quote(ref.tag)}`, fix: pin };
  }
  if (policy.requireDigest && !ref.digest) {
    return {
      problem: `image ${quote(image)} is not pinned by digest, and digests are required`,
      fix: `append the digest the registry reports (e.g. ${name}${ref.tag ? ':' + ref.tag : ''}@sha256:…)`,
    };
  }
  return undefined;
}

/**
 * CEL (for the API server) that is true when the image, a CEL string expression, passes `imageProblem` with
 * the policy: well formed (the grammar of `parseImage`, as one RE2 expression), and pinned by a digest or,
 * without `requireDigest`, by a tag that is not one of the moving ones (in any case).
 */
export function imagePinnedCel(image: string, policy: ImagePolicy = {}): string {
  // parseImage takes the first of several path segments as the registry when it holds "." or ":" or is localhost.
  const component = PATH_COMPONENT_SOURCE;
  const componentWithoutDot = '[a-z0-9]+(?:(?:_|__|-+)[a-z0-9]+)*';
  const registry = `(?:${HOST_LABEL_SOURCE}(?:\\.${HOST_LABEL_SOURCE})+${PORT_SOURCE}|${HOST_LABEL_SOURCE}:[0-9]+|\\[[0-9a-fA-F:]*:[0-9a-fA-F:]*\\]${PORT_SOURCE}|${IPV6_SOURCE}:[0-9]+|localhost)`;
  const name = `(?:${registry}/${component}(?:/${component})*|${componentWithoutDot}(?:/${component})+|${component})`;
  const wellFormed = `${image}.matches(${celRegex(`^${name}(?::${TAG_SOURCE})?(?:@${DIGEST_SOURCE})?$`)})`;
  if (policy.requireDigest) return `${wellFormed} && ${image}.contains('@')`;
  const anyCase = (word: string) => [...word].map((ch) => `[${ch}${ch.toUpperCase()}]`).join('');
  const mutable = `:(?:${[...MUTABLE_TAGS].map(anyCase).join('|')})$`;
  return `${wellFormed} && (${image}.contains('@') || (${image}.matches(${celRegex(`:${TAG_SOURCE}$`)}) && !${image}.matches(${celRegex(mutable)})))`;
}

/** A regular expression as a CEL string literal. */
function celRegex(source: string): string {
  return `'${source.replace(/\\/g, '\\\\')}'`;
}

/** Checks that an image reference is well formed and pinned (see {@link imageProblem}); throws with the fix. */
export function validateImage(where: string, image: string, policy: ImagePolicy = {}): ImageReference {
  const problem = imageProblem(image, policy);
  if (problem) throw inputError(where, problem.problem, problem.fix);
  return parseImage(image)!;
}
