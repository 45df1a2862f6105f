import { isClusterScoped } from '../../../k8s/kinds';
import { PolicyObject } from '../../../k8s/policy-object';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ObjectCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

/** Namespaced objects name a namespace other than `default`. */
export class DefaultNamespaceRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'NSA-DEFAULT-NAMESPACE',
      title: 'Namespaced objects are placed in a namespace other than default',
      rationale: 'The default namespace has no isolation of its own: quotas, policies and RBAC are set per namespace.',
      severity: Severity.WARNING,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Network separation — namespaces',
      fix: 'Set metadata.namespace to a namespace of the application\'s own (not default), and create that Namespace.',
      constructFix: 'Give the chart a namespace (new Chart(app, id, { namespace: "shop" })) and create it, e.g. with DefaultDenyNamespace.',
      admission: AdmissionCheck.notExpressible('judges where the app places objects; in the cluster every object has a namespace and the API '
        + 'server itself writes to default (Events, the kubernetes Service): keep deployers out of it with RBAC'),
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    if (isClusterScoped(object.kind) || object.kind.endsWith('List')) return undefined;
    if (object.namespace === undefined) return ['no namespace is set, so it lands in the current (often default) namespace'];
    return object.namespace === 'default' ? ['it is placed in the default namespace'] : [];
  }
}
