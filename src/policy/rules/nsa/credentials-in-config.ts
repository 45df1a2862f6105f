import { isCredentialName, isCredentialValue } from '../../../baseline/credentials';
import { podViewOf } from '../../pod-view';
import { PolicyObject } from '../../policy-object';
import { Severity } from '../../severity';
import { ObjectCheck } from '../checks';

/** No credential is written in clear text into env literals or ConfigMaps. */
export class CredentialsInConfigRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'NSA-CREDENTIALS',
      title: 'Credentials are kept in Secrets, not in env literals or ConfigMaps',
      rationale: 'Env literals and ConfigMaps are stored and shown in clear text; Secrets can be encrypted at rest and access-controlled.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Authentication and authorization — secrets',
      fix: 'Move the value into a Secret and reference it (env valueFrom.secretKeyRef, or a secret volume).',
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    if (object.kind === 'ConfigMap') {
      return Object.entries(object.manifest.data ?? {})
        .filter(([key, value]) => (isCredentialName(key) && value !== '') || isCredentialValue(String(value)))
        .map(([key]) => `ConfigMap key "${key}" holds a credential`);
    }
    const pod = podViewOf(object.manifest);
    if (!pod) return undefined;
    return pod.containers.flatMap((c) => (c.container.env ?? [])
      .filter((e: any) => typeof e.value === 'string' && e.value !== '' && (isCredentialName(e.name) || isCredentialValue(e.value)))
      .map((e: any) => `${c.pointer} sets ${e.name} to a literal credential`));
  }
}
