import { checkAcknowledgement, checkAcknowledgementTerms } from './acknowledgement';
import type { Acknowledgement, Finding } from './report';
import { Severity } from './rule-api/severity';
import { InputError, inputError } from '../core/errors';
import { describeObject, PolicyObject } from '../k8s/policy-object';

/**
 * The prefix of the annotation that acknowledges a rule on the object it annotates, as kube-linter's
 * `ignore-check.kube-linter.io/<check>` does: `ack.cdk8s-hardened.dev/<RULE-ID>`, its value a JSON object
 * `{"reason": "…", "owner": "…", "expires": "YYYY-MM-DD"}` (reason required, at least 10 characters).
 */
export const ACKNOWLEDGEMENT_ANNOTATION_PREFIX = 'ack.cdk8s-hardened.dev/';

/** The id of the finding on an acknowledgement annotation that cannot be read (it accepts nothing). */
export const INVALID_ACKNOWLEDGEMENT = 'ACK-INVALID';

const VALUE_KEYS = ['reason', 'owner', 'expires'];
const EXAMPLE = `${ACKNOWLEDGEMENT_ANNOTATION_PREFIX}NSA-SERVICE-EXPOSURE: '{"reason": "the public entry point until PLAT-42", `
  + '"owner": "team-shop", "expires": "2027-03-01"}\'';

/**
 * The acknowledgements that objects carry in their own annotations (`ack.cdk8s-hardened.dev/<RULE-ID>`). Each
 * covers findings of its rule on its own object only, whichever way the object is checked: in the app, by the
 * cdk8s CLI plugin, by `cdk8s-hardened check`. An annotation that cannot be read accepts nothing and is an
 * error-level finding (ACK-INVALID) on its object.
 * @internal
 */
export class AnnotationAcknowledgements {
  /** Every acknowledgement read, in object order. */
  public readonly all: Acknowledgement[] = [];
  /** The findings on annotations that cannot be read. */
  public readonly invalid: Finding[] = [];
  private readonly byObject = new Map<number, Acknowledgement[]>();

  constructor(objects: PolicyObject[]) {
    objects.forEach((object, i) => {
      const annotations = object.manifest?.metadata?.annotations;
      if (annotations === null || typeof annotations !== 'object') return;
      const acks: Acknowledgement[] = [];
      for (const [key, value] of Object.entries(annotations)) {
        if (!key.startsWith(ACKNOWLEDGEMENT_ANNOTATION_PREFIX)) continue;
        try {
          acks.push(readAnnotation(object, key, value));
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          this.invalid.push(invalidFinding(object, key, e));
        }
      }
      if (acks.length === 0) return;
      this.byObject.set(i, acks);
      this.all.push(...acks);
    });
  }

  /** The acknowledgement of the rule that the object at the position carries. */
  public find(objectIndex: number, ruleId: string): Acknowledgement | undefined {
    return this.byObject.get(objectIndex)?.find((ack) => ack.ruleId === ruleId);
  }
}

function readAnnotation(object: PolicyObject, key: string, value: unknown): Acknowledgement {
  const where = `${object.path}: annotation ${key}`;
  const ruleId = key.slice(ACKNOWLEDGEMENT_ANNOTATION_PREFIX.length);
  let parsed: any;
  try {
    parsed = typeof value === 'string' ? JSON.parse(value) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw inputError(where, 'the value is not a JSON object', `write it as ${EXAMPLE}`);
  }
  const unknown = Object.keys(parsed).filter((k) => !VALUE_KEYS.includes(k));
  if (unknown.length > 0) throw inputError(where, `unknown key ${JSON.stringify(unknown[0])}`, `use ${VALUE_KEYS.join(', ')}`);
  const reason = checkAcknowledgement(where, ruleId, parsed.reason);
  const terms = checkAcknowledgementTerms(where, parsed.owner, parsed.expires);
  return { ruleId, reason, scope: `${object.path} ${describeObject(object)} (annotation)`, appWide: false, ...terms };
}

function invalidFinding(object: PolicyObject, key: string, error: InputError): Finding {
  return {
    ruleId: INVALID_ACKNOWLEDGEMENT,
    severity: Severity.ERROR,
    title: 'Acknowledgement annotations can be read',
    standard: 'cdk8s-hardened: acknowledgements',
    fix: `Correct the annotation: ${EXAMPLE}`,
    message: `the annotation ${key} acknowledges nothing: ${error.problem}; ${error.fix}`,
    path: object.path,
    kind: object.kind,
    name: object.name,
    namespace: object.namespace,
  };
}
