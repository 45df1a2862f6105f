import { PolicyRule } from './rule';

/**
 * The fix for messages about a cdk8s app: the manifest fix, then the construct hint if the rule (or finding) has one.
 * @param texts a rule, or a finding of one
 * @internal
 */
export function fixText(texts: Pick<PolicyRule, 'fix' | 'constructFix'>): string {
  return texts.constructFix ? `${texts.fix} With cdk8s-hardened: ${texts.constructFix}` : texts.fix;
}
