import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AdmissionAction, AdmissionPolicies, DefaultDenyNamespace, HardenedApp, HealthProbe, ImageSigner, ImageVerification, Policy, SecureDeployment,
  VulnerabilitySeverity,
} from '../../src';

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
 * Both run only as the digests the release workflow signed (Sigstore policy-controller verifies them).
 */
export class ReportsChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    // Opted in to Sigstore policy-controller, which verifies images only in labelled namespaces.
    const namespace = new DefaultDenyNamespace(this, 'namespace', { name: 'reports', labels: { [ImageVerification.NAMESPACE_OPT_IN_LABEL]: 'true' } });
    new SecureDeployment(this, 'api', {
      name: 'reports-api',
      namespace,
      image: 'ghcr.io/acme/reports-api:2.0.1@sha256:5f0e3d2c1b0a99887766554433221100ffeeddccbbaa00998877665544332211',
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
              image: 'ghcr.io/acme/report-renderer:0.9.3@sha256:9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9',
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

    // Every image of this chart, the raw Deployment's included, must carry the release workflow's keyless signature.
    new ImageVerification(this, 'signed', {
      name: 'reports-signed',
      signedBy: ImageSigner.keyless({
        issuer: 'https://token.actions.githubusercontent.com',
        subject: 'https://github.com/acme/reports/.github/workflows/release.yaml@refs/heads/main',
      }),
      // Only images scanned in the last week, with nothing above MEDIUM (`trivy --format cosign-vuln` + `cosign attest --type vuln`).
      vulnerabilityScan: {
        scannerIdentity: ImageSigner.keyless({
          issuer: 'https://token.actions.githubusercontent.com',
          subject: 'https://github.com/acme/reports/.github/workflows/scan.yaml@refs/heads/main',
        }),
        maxSeverity: VulnerabilitySeverity.MEDIUM,
      },
    });
  }
}

export const app = new HardenedApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
new ReportsChart(app, 'reports', { namespace: 'reports' });
new AdmissionChart(app, 'admission', { action: AdmissionAction.DENY });
app.synth();
