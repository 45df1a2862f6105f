import { PolicyPack, PolicyReport } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';
import { hardenedDeployment, mutated } from '../support/fixtures';

/** The PSS findings of one pack on the manifests, as `ruleId: message`. */
function findings(manifests: any[], pack: PolicyPack): string[] {
  const objects = manifests.map((m, i) => policyObject(m, `test/o${i}`));
  return PolicyReport._evaluate(objects, [pack], () => undefined).findings.map((f) => `${f.ruleId}: ${f.message}`);
}

const restricted = (version: string) => PolicyPack.restricted({ version });
const baseline = (version: string) => PolicyPack.baseline({ version });

/** The hardened Deployment with pod-level sysctls. */
function withSysctl(name: string): any {
  return mutated((pod) => { pod.securityContext.sysctls = [{ name, value: '1' }]; });
}

describe('PolicyPack.restricted / PolicyPack.baseline: the Pod Security Standards version', () => {
  test('the latest version is the static pack itself', () => {
    expect(PolicyPack.restricted()).toBe(PolicyPack.RESTRICTED);
    expect(PolicyPack.restricted({ version: 'latest' })).toBe(PolicyPack.RESTRICTED);
    expect(PolicyPack.restricted({ version: 'v1.37' })).toBe(PolicyPack.RESTRICTED);
    expect(PolicyPack.baseline({})).toBe(PolicyPack.BASELINE);
  });

  test('a pinned version keeps the pack name and the rule ids', () => {
    // GIVEN the packs at v1.27
    const pack = restricted('v1.27');
    // THEN they are named and built like the latest ones
    expect(pack.name).toBe('pss-restricted');
    expect(baseline('v1.27').name).toBe('pss-baseline');
    expect(pack.rules.map((r) => r.id)).toEqual(PolicyPack.RESTRICTED.rules.map((r) => r.id));
    expect(PolicyPack.RESTRICTED.rules.map((r) => r.id)).toEqual(expect.arrayContaining(PolicyPack.BASELINE.rules.map((r) => r.id)));
  });

  test.each(['v1.26', 'v1.38', 'v1.0', '1.30', 'v1.30.1', 'v2.30', 'Latest', ' latest', ''])('%j is refused with the supported range and the fix', (version) => {
    expect(() => PolicyPack.restricted({ version })).toThrow(
      `PolicyPack.restricted: Pod Security Standards version ${JSON.stringify(version)} is not supported; `
      + 'use a version from v1.27 to v1.37 (or "latest" = v1.37), e.g. "v1.37" or "latest"');
    expect(() => PolicyPack.baseline({ version })).toThrow(/^PolicyPack.baseline: .* is not supported/);
  });

  test('JavaScript callers: a version that is no string, or options that are no object, are refused', () => {
    expect(() => PolicyPack.restricted({ version: 30 as any })).toThrow(/version 30 is not supported/);
    expect(() => PolicyPack.restricted(null as any)).toThrow(/options must be an object such as \{ version: "v1.33" \}, not null/);
    expect(() => PolicyPack.baseline('v1.30' as any)).toThrow(/options must be an object .*, not "v1.30"/);
  });
});

describe('version gates of the upstream checks', () => {
  test.each([
    ['net.ipv4.ip_local_reserved_ports', 'v1.27', undefined],
    ['net.ipv4.tcp_keepalive_time', 'v1.29', 'v1.28'],
    ['net.ipv4.tcp_fin_timeout', 'v1.29', 'v1.28'],
    ['net.ipv4.tcp_rmem', 'v1.32', 'v1.31'],
    ['net.ipv4.tcp_wmem', 'v1.32', 'v1.31'],
    ['net.ipv4.tcp_slow_start_after_idle', 'v1.37', 'v1.36'],
    ['net.ipv4.tcp_notsent_lowat', 'v1.37', 'v1.36'],
  ])('sysctl %s is safe from %s', (name, from, before) => {
    // GIVEN a pod setting the sysctl
    const manifests = [withSysctl(name)];
    // THEN it passes from the version that allows it, and fails before with the version named
    expect(findings(manifests, baseline(from))).toEqual([]);
    expect(findings(manifests, baseline('latest'))).toEqual([]);
    if (before) {
      expect(findings(manifests, baseline(before))).toEqual([`PSS-SYSCTLS: sysctl ${name} is not safe at ${before} (allowed from ${from})`]);
    }
  });

  test('an unknown sysctl is unsafe at every version', () => {
    expect(findings([withSysctl('kernel.msgmax')], baseline('latest'))).toEqual(['PSS-SYSCTLS: sysctl kernel.msgmax is not safe']);
  });

  test('SELinux type container_engine_t is allowed from v1.31', () => {
    const engine = mutated((_, c) => { c.securityContext.seLinuxOptions = { type: 'container_engine_t' }; });
    expect(findings([engine], baseline('v1.31'))).toEqual([]);
    expect(findings([engine], baseline('v1.30'))).toEqual([
      'PSS-SELINUX: /spec/template/spec/containers/0/securityContext/seLinuxOptions/type is container_engine_t (allowed from v1.31)',
    ]);
  });

  test('a host in probes and lifecycle handlers of any container is forbidden from v1.34', () => {
    // GIVEN hosts in a startup probe of an init container and a preStop handler of an ephemeral container
    const hosts = mutated((pod) => {
      pod.initContainers = [{ name: 'init', image: 'ghcr.io/acme/init:1.0.0', startupProbe: { tcpSocket: { port: 53, host: 'kube-dns' } } }];
      pod.ephemeralContainers = [{ name: 'debug', image: 'ghcr.io/acme/debug:1.0.0', lifecycle: { preStop: { httpGet: { port: 80, host: '10.0.0.1' } } } }];
    });
    // THEN v1.34 reports both (beside what else restricted asks of those containers), v1.33 neither
    const probes = (version: string) => findings([hosts], baseline(version)).filter((f) => f.startsWith('PSS-HOST-PROBES'));
    expect(probes('v1.34')).toEqual([
      'PSS-HOST-PROBES: /spec/template/spec/initContainers/0/startupProbe/tcpSocket/host is "kube-dns"',
      'PSS-HOST-PROBES: /spec/template/spec/ephemeralContainers/0/lifecycle/preStop/httpGet/host is "10.0.0.1"',
    ]);
    expect(probes('v1.33')).toEqual([]);
    // AND an empty host is no host
    const empty = mutated((_, c) => { c.livenessProbe = { httpGet: { port: 8080, host: '' } }; });
    expect(findings([empty], baseline('latest'))).toEqual([]);
  });

  test('procMount Unmasked with hostUsers: false: baseline allows it from v1.35, restricted does not', () => {
    // GIVEN a pod in a user namespace with an unmasked /proc
    const unmasked = mutated((pod, c) => { pod.hostUsers = false; c.securityContext.procMount = 'Unmasked'; });
    const pointer = '/spec/template/spec/containers/0/securityContext/procMount is Unmasked';
    // THEN baseline relaxes from v1.35, and restricted reports it once at every version
    expect(findings([unmasked], baseline('v1.34'))).toEqual([`PSS-PROC-MOUNT: ${pointer}`]);
    expect(findings([unmasked], baseline('v1.35'))).toEqual([]);
    expect(findings([unmasked], restricted('v1.34'))).toEqual([`PSS-PROC-MOUNT: ${pointer}`]);
    expect(findings([unmasked], restricted('v1.35'))).toEqual([
      `PSS-PROC-MOUNT-RESTRICTED: ${pointer} (restricted allows only Default, also with hostUsers: false)`,
    ]);
    // AND without a user namespace both levels report it through PSS-PROC-MOUNT alone
    const plain = mutated((_, c) => { c.securityContext.procMount = 'Unmasked'; });
    expect(findings([plain], restricted('latest'))).toEqual([`PSS-PROC-MOUNT: ${pointer}`]);
  });

  test('runAsNonRoot and runAsUser are relaxed for pods with hostUsers: false from v1.35', () => {
    // GIVEN a pod in a user namespace running as uid 0 without runAsNonRoot
    const root = mutated((pod, c) => {
      pod.hostUsers = false;
      pod.securityContext.runAsUser = 0;
      delete pod.securityContext.runAsNonRoot;
      delete c.securityContext.runAsNonRoot;
    });
    // THEN v1.34 rejects it, v1.35 admits it; with hostUsers: true it stays rejected
    expect(findings([root], restricted('v1.34')).map((f) => f.split(':')[0])).toEqual(['PSS-RUN-AS-NON-ROOT', 'PSS-RUN-AS-USER']);
    expect(findings([root], restricted('v1.35'))).toEqual([]);
    root.spec.template.spec.hostUsers = true;
    expect(findings([root], restricted('v1.35')).map((f) => f.split(':')[0])).toEqual(['PSS-RUN-AS-NON-ROOT', 'PSS-RUN-AS-USER']);
  });

  test('Windows pods are exempt from allowPrivilegeEscalation, capabilities and seccomp under restricted, not from runAsNonRoot', () => {
    // GIVEN a Windows pod without those Linux-only fields
    const windows = mutated((pod, c) => {
      pod.os = { name: 'windows' };
      delete pod.securityContext.seccompProfile;
      c.securityContext = { runAsNonRoot: true };
    });
    // THEN restricted admits it; without runAsNonRoot it does not; as a Linux pod it does not
    expect(findings([windows], restricted('v1.27'))).toEqual([]);
    const linux = JSON.parse(JSON.stringify(windows));
    linux.spec.template.spec.os.name = 'linux';
    expect(findings([linux], restricted('latest')).map((f) => f.split(':')[0]).sort())
      .toEqual(['PSS-CAPABILITIES', 'PSS-PRIVILEGE-ESCALATION', 'PSS-SECCOMP']);
    delete windows.spec.template.spec.securityContext.runAsNonRoot;
    delete windows.spec.template.spec.containers[0].securityContext.runAsNonRoot;
    expect(findings([windows], restricted('latest')).map((f) => f.split(':')[0])).toEqual(['PSS-RUN-AS-NON-ROOT']);
  });
});

describe('upstream semantics within a version', () => {
  test('runAsNonRoot: false on the pod is a violation even when every container sets true', () => {
    const podFalse = mutated((pod) => { pod.securityContext.runAsNonRoot = false; });
    expect(findings([podFalse], restricted('latest'))).toEqual(['PSS-RUN-AS-NON-ROOT: /spec/template/spec/securityContext/runAsNonRoot is false']);
  });

  test('seccomp: an Unconfined pod profile is a violation even when every container sets RuntimeDefault', () => {
    const podUnconfined = mutated((pod) => { pod.securityContext.seccompProfile = { type: 'Unconfined' }; });
    expect(findings([podUnconfined], restricted('latest'))).toEqual([
      'PSS-SECCOMP-BASELINE: /spec/template/spec/securityContext/seccompProfile/type is Unconfined',
      'PSS-SECCOMP: /spec/template/spec/securityContext/seccompProfile/type is Unconfined, not RuntimeDefault or Localhost',
    ]);
  });

  test('seccomp baseline: the alpha annotations are judged as well', () => {
    const annotated = (value: string) => mutated((_, __, d) => { d.spec.template.metadata.annotations = { 'container.seccomp.security.alpha.kubernetes.io/app': value }; });
    expect(findings([annotated('runtime/default'), annotated('localhost/profile.json')], baseline('latest'))).toEqual([]);
    expect(findings([annotated('unconfined')], baseline('latest'))).toEqual(['PSS-SECCOMP-BASELINE: annotation container.seccomp.security.alpha.kubernetes.io/app is unconfined']);
  });

  test('AppArmor: an empty annotation is allowed; unconfined and a profile without a type are not', () => {
    const annotated = (value: string) => mutated((_, __, d) => { d.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': value }; });
    expect(findings([annotated('')], baseline('latest'))).toEqual([]);
    expect(findings([annotated('unconfined')], baseline('latest'))).toEqual(['PSS-APPARMOR: annotation container.apparmor.security.beta.kubernetes.io/app is unconfined']);
    const typeless = mutated((pod) => { pod.securityContext.appArmorProfile = {}; });
    expect(findings([typeless], baseline('latest'))).toEqual(['PSS-APPARMOR: /spec/template/spec/securityContext/appArmorProfile/type is unset']);
  });

  test('volumes: image volumes are allowed under restricted; a null source is no source', () => {
    const image = mutated((pod) => { pod.volumes.push({ name: 'model', image: { reference: 'ghcr.io/acme/model:1.0.0' } }, { name: 'x', emptyDir: {}, nfs: null }); });
    expect(findings([image], restricted('v1.27'))).toEqual([]);
  });
});

describe('hostile input', () => {
  test('odd pod specs neither throw nor pass what they should not', () => {
    // GIVEN pods with null containers, lists that are no lists, and values of the wrong type
    const odd = mutated((pod, c) => {
      pod.initContainers = [null];
      pod.volumes = 'everything';
      pod.securityContext.sysctls = { name: 'kernel.msgmax' };
      c.securityContext.capabilities = { drop: 'ALL', add: 'SYS_ADMIN' };
      c.ports = [null, { containerPort: 80, hostPort: 80 }];
    });
    // WHEN checked by restricted
    const found = findings([odd], restricted('latest'));
    // THEN what is wrong is found: the null container is not hardened, drop is no list, the host port is bound
    expect(found).toEqual(expect.arrayContaining([
      'PSS-HOST-PORTS: /spec/template/spec/containers/0/ports/1/hostPort is 80',
      'PSS-CAPABILITIES: /spec/template/spec/containers/0 does not drop ALL capabilities',
      'PSS-PRIVILEGE-ESCALATION: /spec/template/spec/initContainers/0/securityContext/allowPrivilegeEscalation is not false',
    ]));
  });

  test('the compliant hardened Deployment passes at every version', () => {
    for (let minor = 27; minor <= 37; minor++) {
      expect(findings([hardenedDeployment()], restricted(`v1.${minor}`))).toEqual([]);
    }
  });
});
