// Pod Security Standards policy versions: what `pod-security.kubernetes.io/enforce-version` pins and
// `PodSecurityOptions.version` selects. Internal: the public API takes the version as a string.

const OLDEST_MINOR = 27;
const LATEST_MINOR = 37;
const VERSION_PATTERN = /^v1\.(0|[1-9][0-9]*)$/;

/**
 * A Pod Security Standards policy version in the range the PSS rules implement (v1.27 to v1.37).
 * Each rule carries the version gates of its upstream check (`check_<name>.go` of
 * k8s.io/pod-security-admission) and asks `since(minor)` whether a behaviour applies.
 */
export class PodSecurityVersion {
  /** The oldest version the rules implement. */
  public static readonly OLDEST = new PodSecurityVersion(OLDEST_MINOR);
  /** The newest version the rules implement; `latest` means this one. */
  public static readonly LATEST = new PodSecurityVersion(LATEST_MINOR);

  /** The supported range, for messages: `v1.27 to v1.37 (or "latest" = v1.37)`. */
  public static readonly RANGE = `v1.${OLDEST_MINOR} to v1.${LATEST_MINOR} (or "latest" = v1.${LATEST_MINOR})`;

  /**
   * Parses `v1.27` … `v1.37` or `latest`.
   * @param value the version
   * @param where what the value was given to, for the error message
   * @throws an Error naming the value, the supported range and the fix, for anything else
   */
  public static parse(value: unknown, where: string): PodSecurityVersion {
    const minor = value === 'latest' ? LATEST_MINOR : minorOf(value);
    if (minor === undefined || minor < OLDEST_MINOR || minor > LATEST_MINOR) {
      const what = typeof value === 'string' ? JSON.stringify(value) : String(value);
      throw new Error(`${where}: Pod Security Standards version ${what} is not supported; `
        + `use a version from ${PodSecurityVersion.RANGE}, e.g. "v1.${LATEST_MINOR}" or "latest"`);
    }
    return PodSecurityVersion.of(minor);
  }

  /**
   * Reads an `enforce-version` label value as PodSecurity admission does: `latest`, or `v1.<minor>`.
   * Versions newer than the rules know are judged as the latest (upstream clamps them to its newest
   * check version too); versions older than v1.27 keep their minor (see `supported`). Undefined when
   * the value is malformed.
   */
  public static parseLabel(value: unknown): PodSecurityVersion | undefined {
    const minor = value === 'latest' ? LATEST_MINOR : minorOf(value);
    return minor === undefined ? undefined : PodSecurityVersion.of(Math.min(minor, LATEST_MINOR));
  }

  private static of(minor: number): PodSecurityVersion {
    if (minor === LATEST_MINOR) return PodSecurityVersion.LATEST;
    if (minor === OLDEST_MINOR) return PodSecurityVersion.OLDEST;
    return new PodSecurityVersion(minor);
  }

  private constructor(
    /** The minor version (major is always 1). */
    public readonly minor: number,
  ) {}

  /** Whether the rules implement this version (v1.27 or newer). */
  public get supported(): boolean {
    return this.minor >= OLDEST_MINOR && this.minor <= LATEST_MINOR;
  }

  /** Whether this version is v1.`minor` or newer: the gate of an upstream `VersionedCheck`. */
  public since(minor: number): boolean {
    return this.minor >= minor;
  }

  /** Whether two versions are the same. */
  public equals(other: PodSecurityVersion): boolean {
    return this.minor === other.minor;
  }

  /** `v1.<minor>`. */
  public toString(): string {
    return `v1.${this.minor}`;
  }
}

/** The minor of `v1.<minor>`, or undefined for anything else. */
function minorOf(value: unknown): number | undefined {
  const match = typeof value === 'string' ? VERSION_PATTERN.exec(value) : null;
  return match ? Number(match[1]) : undefined;
}
