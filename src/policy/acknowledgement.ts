import { IConstruct } from 'constructs';
import { checkIsoDate } from './acknowledgement-expiry';
import { Acknowledgement } from './report';
import { inputError } from '../core/errors';
import { PolicyObject } from '../k8s/policy-object';

/** The metadata type under which `Policy.acknowledge` records an acknowledgement on a construct. */
const METADATA_TYPE = 'cdk8s-hardened:acknowledge';
const MIN_REASON_LENGTH = 10;
const MAX_OWNER_LENGTH = 100;
const RULE_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;
/**
 * What a reason or owner must not hold, because the reports print them in a line of their own: control characters
 * (line breaks, ANSI escapes, NEL, NUL, tab), line and paragraph separators, and bidirectional overrides and isolates
 * (text that reads otherwise than it is stored).
 */
const LINE_BREAKING = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** Invisible format characters (zero-width spaces and joiners, word joiner, BOM): they do not count towards a reason's length. */
const INVISIBLE = /\p{Cf}/u;

/** Finds the acknowledgement of a rule that covers an object. */
export type AcknowledgementLookup = (object: PolicyObject, ruleId: string) => Acknowledgement | undefined;

/**
 * Checks an acknowledgement's rule id and reason (at least 10 visible characters, in one line: no control character, line
 * separator or bidirectional override); returns the trimmed reason.
 * @internal
 */
export function checkAcknowledgement(where: string, ruleId: string, reason: string): string {
  if (typeof ruleId !== 'string' || !RULE_ID.test(ruleId)) {
    throw inputError(where, `${JSON.stringify(ruleId)} is not a rule id`, 'use the id shown in the finding, e.g. "NSA-SERVICE-EXPOSURE"');
  }
  const trimmed = typeof reason === 'string' ? reason.trim() : '';
  if (trimmed.replace(new RegExp(INVISIBLE, 'gu'), '').trim().length < MIN_REASON_LENGTH) {
    throw inputError(where, `acknowledging ${ruleId} needs a reason of at least ${MIN_REASON_LENGTH} characters`, 'say why the finding is acceptable');
  }
  if (LINE_BREAKING.test(trimmed)) {
    throw inputError(where, `the reason ${JSON.stringify(trimmed)} holds a line break or control character (the reports print it in one line)`,
      'write the reason in one line of plain text');
  }
  return trimmed;
}

/** Who answers for an acknowledgement, and until when it holds. */
export interface AcknowledgementTerms {
  readonly owner?: string;
  readonly expires?: string;
}

/**
 * Checks an acknowledgement's owner (a non-empty line without control, bidirectional or invisible characters) and expiry (`YYYY-MM-DD`, a day that exists); returns them,
 * the owner trimmed. Whether the expiry is past or too far ahead is judged against a day (see acknowledgement-expiry).
 * @internal
 */
export function checkAcknowledgementTerms(where: string, owner: unknown, expires: unknown): AcknowledgementTerms {
  const trimmed = typeof owner === 'string' ? owner.trim() : owner;
  if (owner !== undefined && (typeof trimmed !== 'string' || trimmed === '' || trimmed.length > MAX_OWNER_LENGTH
    || LINE_BREAKING.test(trimmed) || INVISIBLE.test(trimmed))) {
    throw inputError(where, `the owner ${JSON.stringify(owner)} is not a team or person`,
      `name who answers for the acknowledgement in one line of at most ${MAX_OWNER_LENGTH} characters, without control or invisible characters, e.g. "team-shop"`);
  }
  return {
    ...(trimmed === undefined ? {} : { owner: trimmed as string }),
    ...(expires === undefined ? {} : { expires: checkIsoDate(where, 'the expiry', expires) }),
  };
}

/**
 * Records an acknowledgement on a construct (as construct metadata, read back at evaluation).
 * @internal
 */
export function recordAcknowledgement(construct: IConstruct, ruleId: string, reason: string, terms: AcknowledgementTerms): void {
  construct.node.addMetadata(METADATA_TYPE, { ruleId, reason, ...terms }, { stackTrace: false });
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
      const acks = entries.map((m): Acknowledgement => ({
        ruleId: m.data.ruleId,
        reason: m.data.reason,
        scope: construct.node.path || '(app)',
        appWide,
        ...(m.data.owner === undefined ? {} : { owner: m.data.owner }),
        ...(m.data.expires === undefined ? {} : { expires: m.data.expires }),
      }));
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
