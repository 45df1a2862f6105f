import { PolicyRule } from './rule-api/rule';
import type * as BuiltInRules from './rules';
import { PodSecurityLevel } from '../k8s/pod-security-level';
import { PodSecurityVersion } from '../k8s/pod-security-version';

/**
 * The built-in rules, loaded when a built-in pack's rules are first read: building ~70 rules is most of what
 * requiring the library would otherwise cost, and an app that only synthesizes needs none of them.
 */
function builtInRules(): typeof BuiltInRules {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./rules');
}

/** Options of the Pod Security Standards packs (`PolicyPack.baseline`, `PolicyPack.restricted`). */
export interface PodSecurityOptions {
  /**
   * The Pod Security Standards version to judge at, spelled as the `pod-security.kubernetes.io/enforce-version`
   * label spells it: "v1.27" to "v1.37", or "latest" (v1.37). Pin the version your namespaces enforce:
   * checks and allowed values differ between versions (e.g. sysctls widened in v1.29 and v1.32, host
   * probes forbidden from v1.34, user-namespace relaxations from v1.35).
   * @default "latest"
   */
  readonly version?: string;
}

/** RESTRICTED shares BASELINE's pod rules (the same instances): its own, built when first read. */
const latestBaseline = (): PolicyRule[] => PolicyPack.BASELINE.rules.filter((rule) => !(rule instanceof builtInRules().NamespaceLevelRule));

/** A named list of rules. The compliance score is computed per pack. */
export class PolicyPack {
  /** Pod Security Standards "baseline" at the latest version: blocks known privilege escalations. */
  public static readonly BASELINE = PolicyPack.podSecurity(PodSecurityLevel.BASELINE, PodSecurityVersion.LATEST);
  /** Pod Security Standards "restricted" at the latest version: baseline plus current pod hardening practice. */
  public static readonly RESTRICTED = PolicyPack.podSecurity(PodSecurityLevel.RESTRICTED, PodSecurityVersion.LATEST, latestBaseline);
  /** The NSA/CISA Kubernetes Hardening Guide. */
  public static readonly NSA_CISA = new PolicyPack('nsa-cisa', () => builtInRules().NSA_CISA_RULES);
  /** The CIS Kubernetes Benchmark, section 5.1: RBAC that cannot be turned into cluster takeover. */
  public static readonly CIS = new PolicyPack('cis', () => builtInRules().CIS_RBAC_RULES);
  /**
   * What the cluster will refuse or ignore, judged across the whole app: Services beyond a ResourceQuota,
   * resources outside a LimitRange, disruption budgets that block every eviction, replicas fighting an
   * autoscaler, selectors that select nothing.
   */
  public static readonly CLUSTER_FIT = new PolicyPack('cluster-fit', () => builtInRules().CLUSTER_FIT_RULES);
  /** Workload best practices: pinned images, probes, disruption budgets. */
  public static readonly BEST_PRACTICES = new PolicyPack('best-practices', () => builtInRules().BEST_PRACTICE_RULES);
  /** Images pinned by digest (not in the default packs). */
  public static readonly IMAGE_DIGESTS = new PolicyPack('image-digests', () => builtInRules().IMAGE_DIGEST_RULES);

  /** The packs `Policy.enforce` applies by default. */
  public static defaults(): PolicyPack[] {
    return [PolicyPack.RESTRICTED, PolicyPack.NSA_CISA, PolicyPack.CIS, PolicyPack.CLUSTER_FIT, PolicyPack.BEST_PRACTICES];
  }

  /** Every built-in pack (at the latest Pod Security version). */
  public static builtIn(): PolicyPack[] {
    return [PolicyPack.RESTRICTED, PolicyPack.NSA_CISA, PolicyPack.CIS, PolicyPack.CLUSTER_FIT, PolicyPack.BEST_PRACTICES, PolicyPack.IMAGE_DIGESTS];
  }

  /**
   * Pod Security Standards "baseline" at a policy version (pack `pss-baseline`).
   * @param options the version to judge at
   * @throws an Error for a version outside v1.27 to v1.37 (or "latest")
   */
  public static baseline(options: PodSecurityOptions = {}): PolicyPack {
    const version = podSecurityVersion(options, 'PolicyPack.baseline');
    return version.equals(PodSecurityVersion.LATEST) ? PolicyPack.BASELINE : PolicyPack.podSecurity(PodSecurityLevel.BASELINE, version);
  }

  /**
   * Pod Security Standards "restricted" at a policy version (pack `pss-restricted`: the baseline rules and
   * the restricted ones, all at that version).
   * @param options the version to judge at
   * @throws an Error for a version outside v1.27 to v1.37 (or "latest")
   */
  public static restricted(options: PodSecurityOptions = {}): PolicyPack {
    const version = podSecurityVersion(options, 'PolicyPack.restricted');
    return version.equals(PodSecurityVersion.LATEST) ? PolicyPack.RESTRICTED : PolicyPack.podSecurity(PodSecurityLevel.RESTRICTED, version);
  }

  /** A pack of your own rules (built-in rules may be reused). */
  public static of(name: string, rules: PolicyRule[]): PolicyPack {
    return new PolicyPack(name, rules);
  }

  /** A Pod Security Standards pack: the pod rules of the level at the version, and the namespace label rule. */
  private static podSecurity(level: PodSecurityLevel, version: PodSecurityVersion, baselineRules?: () => PolicyRule[]): PolicyPack {
    return new PolicyPack(`pss-${level}`, () => {
      const rules = builtInRules();
      const restricted = level === PodSecurityLevel.RESTRICTED ? rules.pssRestrictedRules(version) : [];
      return [...baselineRules?.() ?? rules.pssBaselineRules(version), ...restricted, new rules.NamespaceLevelRule(level, version)];
    });
  }

  /** The rules, or how to build them (built-in packs build theirs when first read). */
  private ruleList: PolicyRule[] | (() => PolicyRule[]);

  private constructor(
    /** The pack's name, shown in reports. */
    public readonly name: string,
    rules: PolicyRule[] | (() => PolicyRule[]),
  ) {
    if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(name)) {
      throw new Error(`PolicyPack ${JSON.stringify(name)}: pack names are lower-case words joined by "-"; use e.g. "acme-platform"`);
    }
    if (typeof rules !== 'function') checkRules(name, rules);
    this.ruleList = rules;
  }

  /** The rules of the pack. */
  public get rules(): PolicyRule[] {
    if (typeof this.ruleList === 'function') this.ruleList = this.ruleList();
    return this.ruleList;
  }
}

function checkRules(name: string, rules: PolicyRule[]): void {
  if (!Array.isArray(rules) || !rules.every((rule) => rule instanceof PolicyRule)) {
    throw new Error(`PolicyPack ${name}: rules must be a list of PolicyRules (built-in rules or subclasses of PolicyRule)`);
  }
}

/** The version of PodSecurityOptions, checked (JavaScript callers included). */
function podSecurityVersion(options: PodSecurityOptions, where: string): PodSecurityVersion {
  if (options === null || typeof options !== 'object') {
    throw new Error(`${where}: options must be an object such as { version: "v1.33" }, not ${JSON.stringify(options)}`);
  }
  return options.version === undefined ? PodSecurityVersion.LATEST : PodSecurityVersion.parse(options.version, where);
}
