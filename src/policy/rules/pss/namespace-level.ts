import { pssPodRules } from './profiles';
import { podOf } from '../../../k8s/evaluated-object';
import { PodSecurityLevel } from '../../../k8s/pod-security-level';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PolicyObject } from '../../../k8s/policy-object';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { PolicyRule } from '../../rule-api/rule';
import { Severity } from '../../rule-api/severity';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const ENFORCE_VERSION = 'pod-security.kubernetes.io/enforce-version';
const STRENGTH = new Map<unknown, number>([[PodSecurityLevel.PRIVILEGED, 0], [PodSecurityLevel.BASELINE, 1], [PodSecurityLevel.RESTRICTED, 2]]);

/** What PodSecurity admission enforces in a namespace, as far as these rules can judge it. */
interface Enforced {
  readonly level: PodSecurityLevel;
  readonly version: PodSecurityVersion;
}

/**
 * The Namespaces of the set enforce this pack's Pod Security Standards level, and their workloads pass
 * what the namespace enforces. For every Namespace object:
 * - a finding when `pod-security.kubernetes.io/enforce` is missing, malformed or weaker than the pack's
 *   level, or `enforce-version` is malformed or older than v1.27 (a missing version means `latest`);
 * - every workload in the namespace is judged at the namespace's level and version too (a malformed level
 *   as restricted and a malformed version as latest, as upstream does); each violation that the pack's own
 *   level and version do not report is a finding on the workload, naming the namespace, level and version.
 *
 * Linear: namespaces are indexed by name once, workloads grouped by the level and version they are judged at.
 */
export class NamespaceLevelRule extends CrossObjectCheck {
  /**
   * @param level the pack's level
   * @param version the pack's version
   */
  public constructor(private readonly level: PodSecurityLevel, private readonly version: PodSecurityVersion) {
    super({
      id: 'PSS-NAMESPACE-LEVEL',
      title: 'Namespaces enforce the pack\'s Pod Security level, and their workloads pass what the namespace enforces',
      rationale: 'PodSecurity admission judges pods by their namespace\'s labels: a missing or weaker enforce label admits what this pack '
        + 'rejects, and a pinned version rejects pods that pass the pack\'s version.',
      severity: Severity.ERROR,
      standard: `Pod Security Standards (${level}): Pod Security Admission namespace labels`,
      fix: `Label the namespace ${ENFORCE}: ${level} with ${ENFORCE_VERSION} latest or ${PodSecurityVersion.OLDEST} or newer, and fix what `
        + 'the namespace\'s level and version reject.',
      constructFix: 'DefaultDenyNamespace sets these labels.',
      admission: AdmissionCheck.notExpressible('judges a Namespace\'s labels together with the workloads in it (cross-object); in the cluster, '
        + 'PodSecurity admission enforces what the labels say'),
    });
  }

  protected judgeSet(objects: PolicyObject[], results: RuleResults): void {
    const enforcedIn = new Map<string, Enforced>();
    for (const object of objects) {
      if (object.kind !== 'Namespace' || object.apiVersion !== 'v1') continue;
      const { problems, enforced } = this.judgeNamespace(object.manifest?.metadata?.labels ?? {});
      results.judge(object, problems);
      if (enforced && object.name && !enforcedIn.has(object.name)) enforcedIn.set(object.name, enforced);
    }
    if (enforcedIn.size > 0) this.judgeWorkloads(objects, enforcedIn, results);
  }

  /** The findings on a namespace's labels, and the level and version its workloads are judged at (none for privileged or too old). */
  private judgeNamespace(labels: any): { problems: string[]; enforced?: Enforced } {
    const problems: string[] = [];
    const levelLabel = labels[ENFORCE];
    const versionLabel = labels[ENFORCE_VERSION];
    let level: PodSecurityLevel;
    if (levelLabel === undefined) {
      problems.push(`${ENFORCE} is not set: the cluster's default level applies (privileged unless its admission configuration says otherwise)`);
      level = PodSecurityLevel.PRIVILEGED;
    } else if (!STRENGTH.has(levelLabel)) {
      problems.push(`${ENFORCE} is ${JSON.stringify(levelLabel)}, not privileged, baseline or restricted (PodSecurity admission reports an error and enforces restricted)`);
      level = PodSecurityLevel.RESTRICTED;
    } else {
      level = levelLabel as PodSecurityLevel;
      if (STRENGTH.get(level)! < STRENGTH.get(this.level)!) problems.push(`${ENFORCE} is ${level}, weaker than ${this.level}`);
    }
    let version: PodSecurityVersion | undefined = PodSecurityVersion.LATEST;
    if (versionLabel !== undefined) {
      version = PodSecurityVersion.parseLabel(versionLabel);
      if (version === undefined) {
        problems.push(`${ENFORCE_VERSION} is ${JSON.stringify(versionLabel)}, not "latest" or "v1.<minor>" (PodSecurity admission reports an error and enforces latest)`);
        version = PodSecurityVersion.LATEST;
      } else if (!version.supported) {
        problems.push(`${ENFORCE_VERSION} pins ${version}, older than ${PodSecurityVersion.OLDEST}, the oldest Pod Security Standards version these rules implement`);
        version = undefined;
      }
    }
    const enforced = level === PodSecurityLevel.PRIVILEGED || version === undefined ? undefined : { level, version };
    return { problems, enforced };
  }

  /** Judges the workloads of labelled namespaces at the namespace's level and version, beyond what the pack reports. */
  private judgeWorkloads(objects: PolicyObject[], enforcedIn: Map<string, Enforced>, results: RuleResults): void {
    const groups = new Map<string, { enforced: Enforced; workloads: PolicyObject[] }>();
    for (const object of objects) {
      const enforced = object.namespace === undefined ? undefined : enforcedIn.get(object.namespace);
      if (!enforced || (enforced.level === this.level && enforced.version.equals(this.version))) continue;
      if (!podOf(object)) continue;
      const key = `${enforced.level} ${enforced.version}`;
      let group = groups.get(key);
      if (!group) groups.set(key, group = { enforced, workloads: [] });
      group.workloads.push(object);
    }
    // What the namespaces reject, then what the pack itself reports of the same workloads (only those: most pass).
    const theirs = [...groups.values()]
      .map((group) => ({ ...group, found: violations(pssPodRules(group.enforced.level, group.enforced.version), group.workloads) }));
    const rejected = theirs.flatMap((group) => group.workloads.filter((object) => group.found.has(object)));
    const own = rejected.length ? violations(pssPodRules(this.level, this.version), rejected) : new Map<PolicyObject, Violation[]>();
    for (const { enforced, workloads, found } of theirs) {
      for (const object of workloads) {
        const reported = own.get(object) ?? [];
        const extra = (found.get(object) ?? []).filter((v) => !reported.some((r) => r.ruleId === v.ruleId && r.message === v.message));
        if (extra.length === 0) results.pass(object);
        for (const v of extra) {
          results.fail(object, `namespace ${object.namespace} enforces ${enforced.level} ${enforced.version}: ${v.message} (${v.ruleId})`);
        }
      }
    }
  }
}

/** A rule's finding on an object. */
interface Violation {
  readonly ruleId: string;
  readonly message: string;
}

/** The violations each rule reports, per object. */
function violations(rules: PolicyRule[], objects: PolicyObject[]): Map<PolicyObject, Violation[]> {
  const found = new Map<PolicyObject, Violation[]>();
  for (const rule of rules) {
    for (const result of rule.evaluate(objects)) {
      if (result.compliant) continue;
      const object = objects[result.objectIndex];
      let list = found.get(object);
      if (!list) found.set(object, list = []);
      list.push({ ruleId: rule.id, message: result.message ?? rule.title });
    }
  }
  return found;
}
