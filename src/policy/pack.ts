import { PolicyRule } from './rule';
import { BEST_PRACTICE_RULES, IMAGE_DIGEST_RULES, NSA_CISA_RULES, PSS_BASELINE_RULES, PSS_RESTRICTED_RULES } from './rules';

/** A named list of rules; the compliance score is computed per pack. */
export class PolicyPack {
  /** Pod Security Standards "baseline": blocks known privilege escalations. */
  public static readonly BASELINE = new PolicyPack('pss-baseline', PSS_BASELINE_RULES);
  /** Pod Security Standards "restricted": baseline plus current pod hardening practice. */
  public static readonly RESTRICTED = new PolicyPack('pss-restricted', [...PSS_BASELINE_RULES, ...PSS_RESTRICTED_RULES]);
  /** The NSA/CISA Kubernetes Hardening Guide. */
  public static readonly NSA_CISA = new PolicyPack('nsa-cisa', NSA_CISA_RULES);
  /** Workload best practices: pinned images, probes, disruption budgets. */
  public static readonly BEST_PRACTICES = new PolicyPack('best-practices', BEST_PRACTICE_RULES);
  /** Images pinned by digest (not in the default packs). */
  public static readonly IMAGE_DIGESTS = new PolicyPack('image-digests', IMAGE_DIGEST_RULES);

  /** The packs `Policy.enforce` applies by default. */
  public static defaults(): PolicyPack[] {
    return [PolicyPack.RESTRICTED, PolicyPack.NSA_CISA, PolicyPack.BEST_PRACTICES];
  }

  /** A pack of your own rules (built-in rules may be reused). */
  public static of(name: string, rules: PolicyRule[]): PolicyPack {
    return new PolicyPack(name, rules);
  }

  private constructor(
    /** The pack's name, shown in reports. */
    public readonly name: string,
    /** The rules of the pack. */
    public readonly rules: PolicyRule[],
  ) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
      throw new Error(`PolicyPack ${JSON.stringify(name)}: pack names are lower-case words joined by "-"; use e.g. "acme-platform"`);
    }
  }
}
