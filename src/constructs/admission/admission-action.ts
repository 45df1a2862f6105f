import { inputError, quote } from '../../core/errors';
import { checkInstance } from '../../core/prop-checks';

/**
 * What the API server does with a request that fails a validation (the binding's `validationActions`).
 * Roll out with `WARN` first (clients see warnings, the audit log records failures), then `DENY`.
 */
export class AdmissionAction {
  /** Refuse the request. */
  public static readonly DENY = new AdmissionAction('Deny', ['Deny']);
  /** Admit it, return a warning to the client and record the failure in the audit log. */
  public static readonly WARN = new AdmissionAction('Warn', ['Warn', 'Audit']);
  /** Admit it and record the failure in the audit log only. */
  public static readonly AUDIT = new AdmissionAction('Audit', ['Audit']);

  private constructor(
    /** The action's name. */
    public readonly name: string,
    private readonly actions: string[],
  ) {}

  /**
   * The binding's `validationActions` (never Deny with Warn: the API server refuses that pair).
   * @internal
   */
  public _validationActions(): string[] {
    return [...this.actions];
  }
}

/**
 * Checks an optional `action` prop: one of `allowed` (the default is the first).
 * @internal
 */
export function checkAdmissionAction(where: string, value: unknown, allowed: AdmissionAction[], fix: string): AdmissionAction {
  if (value === undefined) return allowed[0];
  const action = checkInstance<AdmissionAction>(where, 'action', value, '_validationActions()', 'an AdmissionAction');
  if (!allowed.includes(action)) throw inputError(where, `action ${quote(action.name)} is not one of ${allowed.map((a) => a.name).join(', ')}`, fix);
  return action;
}
