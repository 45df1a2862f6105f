// Following a fix must not lead to another error: for each construct error whose fix names a concrete value or call,
// the value is read from the error's own text, applied once, and the construct must then build (and synthesize).
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CanaryPair, DefaultDenyNamespace, DnsEgress, EgressAllowlist, EgressTarget, HealthProbe, ImageSigner, ImageVerification, Prerequisite,
  PriorityClass, SecureDeployment,
} from '../../src';
import { errorOf } from '../support/helpers';

const IMAGE = 'ghcr.io/acme/web:1.4.2';
const DIGEST_IMAGE = `ghcr.io/acme/web@sha256:${'0d1c2f6e3b5a4978'.repeat(4)}`;
const GITHUB = {
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'https://github.com/acme/shop/.github/workflows/release.yaml@refs/heads/main',
};
const METADATA_V4 = ['169.254.169.254/32', '100.100.100.200/32', '169.254.170.2/32', '169.254.170.23/32'];
const METADATA_V6 = ['fd00:ec2::254/128', 'fd00:ec2::23/128', 'fe80::a9fe:a9fe/128', 'fd20:ce::254/128', '64:ff9b::a9fe:a9fe/128',
  '64:ff9b::6464:64c8/128', '64:ff9b::a9fe:aa02/128', '64:ff9b::a9fe:aa17/128'];

/** One refused input whose fix names a concrete alternative. */
interface MechanicalFix {
  /** What is refused. */
  readonly refused: string;
  /** Captures, in the error message, the value or call the fix names (group 1). */
  readonly suggestion: RegExp;
  /** Builds the construct (and synthesizes the app): with no suggestion the refused input, with one the input the fix asks for. */
  build(chart: Chart, suggestion?: string): void;
}

/** Reads the object or list a fix writes in TypeScript (`{ tcp: [443] }`, `["10.0.0.0/8"]`) as JSON. */
function literal(text: string): any {
  return JSON.parse(text.replace(/([{,]\s*)([A-Za-z_]\w*)\s*:/g, '$1"$2":'));
}

/** A workload to attach egress targets and rules to. */
function web(chart: Chart): SecureDeployment {
  return new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080 });
}

function allow(chart: Chart, target: EgressTarget): void {
  new EgressAllowlist(chart, 'egress', { workload: web(chart), allow: [target] });
}

const QUOTED = /e\.g\. "([^"]+)"/;
const EXCEPT_LIST = /exceptCidrs: (\[[^\]]*\])/;

/** A target over every address of a family: bare (the metadata fix), and with the metadata excepted (the "every destination" fix). */
function wholeFamily(family: string, cidr: string, metadata: string[]): MechanicalFix[] {
  return [undefined, metadata].map((except) => ({
    refused: `every ${family} address${except ? ' but the metadata addresses' : ''}`,
    suggestion: EXCEPT_LIST,
    build: (chart: Chart, s?: string) => allow(chart, EgressTarget.cidr(cidr, { tcp: [443] }, { exceptCidrs: s ? literal(s) : except })),
  }));
}

const FIXES: MechanicalFix[] = [
  {
    refused: 'a metrics port that is also servicePort',
    suggestion: /set servicePort to (\d+)/,
    build: (chart, s) => new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, servicePort: s ? Number(s) : 80, metrics: { port: 80 } }),
  },
  {
    refused: 'a zero metrics interval',
    suggestion: QUOTED,
    build: (chart, s) => new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, metrics: { port: 9090, interval: s ?? '0h0m0s' } }),
  },
  {
    refused: 'a relative metrics path',
    suggestion: QUOTED,
    build: (chart, s) => new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, metrics: { port: 9090, path: s ?? 'metrics' } }),
  },
  {
    refused: 'maxReplicas below minReplicas',
    suggestion: /set maxReplicas to at least (\d+)/,
    build: (chart, s) => new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, autoscaling: { minReplicas: 3, maxReplicas: s ? Number(s) : 2 } }),
  },
  {
    refused: 'the latest tag',
    suggestion: /e\.g\. ([^ ]+) or/,
    build: (chart, s) => new SecureDeployment(chart, 'web', { image: s ?? 'nginx:latest', port: 8080 }),
  },
  {
    refused: 'a writable path with ".."',
    suggestion: /such as "([^"]+)"/,
    build: (chart, s) => new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, writablePaths: [s ?? '/data/../etc'] }),
  },
  {
    refused: 'an empty exec probe',
    suggestion: /e\.g\. (\[[^\]]*\])/,
    build: (chart, s) => new SecureDeployment(chart, 'web', { image: IMAGE, liveness: HealthProbe.exec(s ? literal(s) : []) }),
  },
  {
    refused: 'a relative HTTP probe path',
    suggestion: QUOTED,
    build: (chart, s) => new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, readiness: HealthProbe.http(s ?? 'healthz') }),
  },
  {
    refused: 'a PriorityClass name reserved for the system',
    suggestion: QUOTED,
    build: (chart, s) => new PriorityClass(chart, 'high', { value: 1000, name: s ?? 'system-high' }),
  },
  {
    refused: 'a canary weight the replicas cannot give',
    suggestion: /set canaryWeight to (\d+)/,
    build: (chart, s) => new CanaryPair(chart, 'reco', {
      port: 8080, stable: { image: IMAGE, replicas: 3 }, canary: { image: 'ghcr.io/acme/web:1.5.0', replicas: 1 }, canaryWeight: s ? Number(s) : 10,
    }),
  },
  {
    refused: 'an unpinned Pod Security version',
    suggestion: /like "([^"]+)"/,
    build: (chart, s) => new DefaultDenyNamespace(chart, 'ns', { name: 'shop', podSecurityVersion: s ?? 'latest' }),
  },
  {
    refused: 'a node-local DNS address that is no address',
    suggestion: QUOTED,
    build: (chart, s) => new DefaultDenyNamespace(chart, 'ns', { name: 'shop', dns: DnsEgress.nodeLocal(s ?? 'node-local-dns') }),
  },
  {
    refused: 'a prerequisite kind spelt in lower case',
    suggestion: QUOTED,
    build: (chart, s) => Prerequisite.of(chart, { kind: s ?? 'priorityclass', name: 'platform-high' }),
  },
  {
    refused: 'egress ports that are no object',
    suggestion: /e\.g\. (\{[^}]*\})/,
    build: (chart, s) => allow(chart, EgressTarget.cidr('10.0.0.0/24', s ? literal(s) : 443 as any)),
  },
  {
    refused: 'an egress target without ports',
    suggestion: /e\.g\. (\{[^}]*\})/,
    build: (chart, s) => allow(chart, EgressTarget.cidr('10.0.0.0/24', s ? literal(s) : {})),
  },
  {
    refused: 'an IPv4 block holding metadata addresses',
    suggestion: EXCEPT_LIST,
    build: (chart, s) => allow(chart, EgressTarget.cidr('0.0.0.0/1', { tcp: [443] }, { exceptCidrs: s ? literal(s) : undefined })),
  },
  ...wholeFamily('IPv4', '0.0.0.0/0', METADATA_V4),
  ...wholeFamily('IPv6', '::/0', METADATA_V6),
  {
    refused: 'a raw egress rule to every IPv4 address',
    suggestion: /except: (\[[^\]]*\])/,
    build: (chart, s) => web(chart).addEgressRule({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: s ? literal(s) : undefined } }] }),
  },
  {
    refused: 'image verification in a namespace that is not opted in',
    suggestion: /add labels: (\{[^}]*\}) to its DefaultDenyNamespace/,
    build: (chart, s) => {
      new DefaultDenyNamespace(new Chart(chart.node.scope as Construct, 'platform'), 'shop', { name: 'shop', labels: s ? literal(s) : {} });
      new SecureDeployment(chart, 'web', { image: DIGEST_IMAGE, port: 8080 });
      new ImageVerification(chart, 'signed', { signedBy: ImageSigner.keyless(GITHUB) });
    },
  },
];

describe('following a fix leads to no other error (every mechanical fix, applied once)', () => {
  test.each(FIXES)('$refused', ({ suggestion, build }) => {
    // GIVEN the refused input WHEN built and synthesized THEN the error names a concrete alternative
    const refused = Testing.app();
    const message = errorOf(() => {
      build(new Chart(refused, 'shop', { namespace: 'shop' }));
      refused.synth();
    }).message;
    const suggested = suggestion.exec(message)?.[1];
    expect({ message, suggested }).toEqual({ message, suggested: expect.any(String) });
    // WHEN that alternative is applied THEN the construct builds and the app synthesizes
    const fixed = Testing.app();
    expect(() => {
      build(new Chart(fixed, 'shop', { namespace: 'shop' }), suggested);
      fixed.synth();
    }).not.toThrow();
  });
});
