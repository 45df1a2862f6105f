import { Manifest, synth, testChart } from './helpers';
import { IMAGE } from './workloads';
import { EgressAllowlist, EgressAllowlistProps, EgressTarget, SecureDeployment } from '../../src';

/** Where the errors of the allowlist of `allowlist()` start. */
export const WHERE = /^EgressAllowlist shop\/egress: /;

/** An EgressAllowlist for a SecureDeployment `web` in chart `shop`, synthesized. */
export function allowlist(props: Partial<EgressAllowlistProps>) {
  const { app, chart } = testChart();
  const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web' });
  const list = new EgressAllowlist(chart, 'egress', { workload: web, name: 'web', allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })], ...props });
  const manifests = synth(chart);
  return { app, chart, web, list, manifests, policy: manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'web-egress')! };
}

/** The hosts a Sidecar imports. */
export function sidecarHosts(manifests: Manifest[], name: string): string[] {
  return manifests.find((m) => m.kind === 'Sidecar' && m.metadata.name === name)!.spec.egress.flatMap((e: any) => e.hosts);
}
