import { IConstruct } from 'constructs';
import { Acknowledgement } from './report';
import { inputError } from '../core/errors';
import { PolicyObject } from '../k8s/policy-object';

/** The metadata type under which `Policy.acknowledge` records an acknowledgement on a construct. */
const METADATA_TYPE = 'cdk8s-hardened:acknowledge';
const MIN_REASON_LENGTH = 10;
const RULE_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;

/** Finds the acknowledgement of a rule that covers an object. */
export type AcknowledgementLookup = (object: PolicyObject, ruleId: string) => Acknowledgement | undefined;

/**
 * Checks an acknowledgement's rule id and reason; returns the trimmed reason.
 * @internal
 */
export function checkAcknowledgement(where: string, ruleId: string, reason: string): string {
  if (typeof ruleId !== 'string' || !RULE_ID.test(ruleId)) {
    throw inputError(where, `${JSON.stringify(ruleId)} is not a rule id`, 'use the id shown in the finding, e.g. "NSA-SERVICE-EXPOSURE"');
  }
  const trimmed = typeof reason === 'string' ? reason.trim() : '';
  if (trimmed.length < MIN_REASON_LENGTH) {
    throw inputError(where, `acknowledging ${ruleId} needs a reason of at least ${MIN_REASON_LENGTH} characters`, 'say why the finding is acceptable');
  }
  return trimmed;
}

/**
 * Records an acknowledgement on a construct (as construct metadata, read back at evaluation).
 * @internal
 */
export function recordAcknowledgement(construct: IConstruct, ruleId: string, reason: string): void {
  construct.node.addMetadata(METADATA_TYPE, { ruleId, reason }, { stackTrace: false });
}

/**
 * The acknowledgements recorded on constructs that can cover objects under a scope: on the scope, its
 * ancestors and its descendants. Each is returned once, so that the report can tell which ones were used.
 * @internal
 */
export class ConstructAcknowledgements {
  /** Every acknowledgement found. */
  public readonly all: Acknowledgement[] = [];
  private readonly byConstruct = new Map<IConstruct, Acknowledgement[]>();

  constructor(scope: IConstruct) {
    for (const construct of [...scope.node.scopes.slice(0, -1), ...scope.node.findAll()]) {
      const entries = construct.node.metadata.filter((m) => m.type === METADATA_TYPE);
      if (entries.length === 0) continue;
      const appWide = construct.node.scope === undefined;
      const acks = entries.map((m) => ({ ruleId: m.data.ruleId, reason: m.data.reason, scope: construct.node.path || '(app)', appWide }));
      this.byConstruct.set(construct, acks);
      this.all.push(...acks);
    }
  }

  /** The nearest acknowledgement of the rule on the construct or one of its ancestors. */
  public find(construct: IConstruct, ruleId: string): Acknowledgement | undefined {
    if (this.byConstruct.size === 0) return undefined;
    const scopes = construct.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const found = this.byConstruct.get(scopes[i])?.find((a) => a.ruleId === ruleId);
      if (found) return found;
    }
    return undefined;
  }
}
