import { ApiObject, App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { AdmissionAction, AdmissionPolicies, DefaultDenyNamespace, HealthProbe, Policy, SecureDeployment } from '../../src';

/** The rollout stage of the policies: `WARN` first (nothing is refused, every failure is a warning and an audit event), then `DENY`. */
export interface AdmissionChartProps extends ChartProps {
  readonly action: AdmissionAction;
}

/**
 * The policy packs, enforced by the API server: every rule that judges one object becomes a
 * ValidatingAdmissionPolicy and its binding, for every namespace but the control plane's.
 */
export class AdmissionChart extends Chart {
  public readonly policies: AdmissionPolicies;

  constructor(scope: Construct, id: string, props: AdmissionChartProps) {
    super(scope, id, props);
    this.policies = new AdmissionPolicies(this, 'guard', { name: 'hardened', action: props.action });
  }
}

/**
 * A namespace with a hardened service and one legacy workload whose known gap is acknowledged: synth
 * accepts it with the reason, and the policies exempt exactly that Deployment and the pods it creates.
 */
export class ReportsChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const namespace = new DefaultDenyNamespace(this, 'namespace', { name: 'reports' });
    new SecureDeployment(this, 'api', {
      name: 'reports-api',
      namespace,
      image: 'ghcr.io/acme/reports-api:2.0.1',
      port: 8080,
      readiness: HealthProbe.http('/healthz'),
    });

    const labels = { 'app.kubernetes.io/name': 'report-renderer', 'app.kubernetes.io/instance': 'report-renderer', 'app.kubernetes.io/part-of': 'reports' };
    const renderer = new ApiObject(this, 'renderer', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'report-renderer', namespace: namespace.namespaceName, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'renderer',
              image: 'ghcr.io/acme/report-renderer:0.9.3',
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                // The known gap: the renderer writes its font cache next to its binary.
                readOnlyRootFilesystem: false,
              },
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              livenessProbe: { exec: { command: ['/app/renderer', 'health'] } },
            }],
          },
        },
      },
    });
    renderer.node.addDependency(namespace);
    Policy.acknowledge(renderer, 'NSA-READONLY-ROOTFS', 'the renderer writes its font cache beside its binary until REP-7 moves it to an emptyDir');
  }
}

export const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
new ReportsChart(app, 'reports', { namespace: 'reports' });
new AdmissionChart(app, 'admission', { action: AdmissionAction.DENY });
Policy.enforce(app);
app.synth();
