import { PolicyObject } from '../../../k8s/policy-object';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ObjectCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

/** Services are not exposed outside the cluster directly. */
export class ServiceExposureRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'NSA-SERVICE-EXPOSURE',
      title: 'Services are ClusterIP; exposure goes through an ingress or gateway',
      rationale: 'LoadBalancer and NodePort Services expose pods outside the cluster, past ingress controls and TLS termination.',
      severity: Severity.WARNING,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Network separation and hardening — limit exposure',
      fix: 'Set spec.type to ClusterIP and expose the pods through an Ingress or Gateway; acknowledge the rule where a LoadBalancer is intended.',
      admission: AdmissionCheck.objects({ apiGroup: '', apiVersion: 'v1', resources: ['services'] }, [{
        expression: "!(object.spec.?type.orValue('ClusterIP') in ['LoadBalancer', 'NodePort'])",
        messageExpression: "'the Service is of type ' + object.spec.type",
        message: 'the Service is of type LoadBalancer or NodePort',
      }]),
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    if (object.kind !== 'Service') return undefined;
    const type = object.manifest.spec?.type;
    return type === 'LoadBalancer' || type === 'NodePort' ? [`the Service is of type ${type}`] : [];
  }
}
