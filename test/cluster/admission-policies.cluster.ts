import { AdmissionAction, AdmissionPolicies, PolicyPack } from '../../src';
import { AdmissionEvaluator } from '../support/cel-admission';
import { hardenedDeployment } from '../support/fixtures';
import { synth, testChart } from '../support/helpers';
import { create, deleteLabelled, dryRunCreate, inParallel, namespaceWith, policiesLoaded, RUN_LABEL, runSuffix } from '../support/kube-api';
import { RULE_CASES } from '../support/rule-cases';

// The generated ValidatingAdmissionPolicies of every built-in pack, loaded into a real API server: each rule's policy
// bound (as generated, narrowed to one namespace) with the construct's default action (DENY: errors deny, warnings warn)
// and with WARN; each rule's compliant fixtures admitted and its non-compliant ones denied or warned with the rule's
// message, as a Deployment, a CronJob and a bare Pod; and the server's verdict is the offline CEL harness's.
const ALL_PACKS = [PolicyPack.RESTRICTED, PolicyPack.NSA_CISA, PolicyPack.BEST_PRACTICES, PolicyPack.IMAGE_DIGESTS];
const run = runSuffix();
const evaluator = new AdmissionEvaluator();
const ACTIONS = [['deny', AdmissionAction.DENY], ['warn', AdmissionAction.WARN]] as const;

/** The policies and bindings of the packs under an action, by rule id. */
function generated(action: AdmissionAction, prefix: string): Map<string, { policy: any; binding: any }> {
  const { chart } = testChart();
  new AdmissionPolicies(chart, 'guard', { packs: ALL_PACKS, action, name: prefix });
  const manifests = synth(chart);
  const of = (kind: string) => new Map(manifests.filter((m) => m.kind === kind).map((m) => [m.metadata.labels['cdk8s-hardened.io/rule'], m]));
  const policies = of('ValidatingAdmissionPolicy');
  const bindings = of('ValidatingAdmissionPolicyBinding');
  return new Map([...policies].map(([id, policy]) => [id, { policy, binding: bindings.get(id) }]));
}

const namespaceOf = (ruleId: string, action: string) => `${ruleId.toLowerCase()}-${action}-${run}`;

function labelled(manifest: any): any {
  return { ...manifest, metadata: { ...manifest.metadata, labels: { ...manifest.metadata.labels, [RUN_LABEL]: run } } };
}

/** The binding, narrowed to the namespace (its generated selector kept). */
function narrowed(binding: any, namespace: string): any {
  const copy = labelled(JSON.parse(JSON.stringify(binding)));
  const selector = copy.spec.matchResources.namespaceSelector ?? {};
  selector.matchExpressions = [...selector.matchExpressions ?? [], { key: 'kubernetes.io/metadata.name', operator: 'In', values: [namespace] }];
  copy.spec.matchResources.namespaceSelector = selector;
  return copy;
}

function asCronJob(deployment: any): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: deployment.metadata,
    // A Job's pods must not restart Always (the API server refuses the CronJob, as the offline harness does not)
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { ...deployment.spec.template, spec: { ...deployment.spec.template.spec, restartPolicy: 'OnFailure' } } } } },
  };
}

function asPod(deployment: any): any {
  const template = deployment.spec.template;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, name: deployment.metadata.name, namespace: deployment.metadata.namespace }, spec: template.spec };
}

const SHAPES: Array<[string, (d: any) => any]> = [['Deployment', (d) => d], ['CronJob', asCronJob], ['Pod', asPod]];
const sets = new Map(ACTIONS.map(([name, action]) => [name, generated(action, `${name}-${run}`)]));
const compiledCases = RULE_CASES.filter(([ruleId]) => sets.get('deny')!.has(ruleId));

beforeAll(async () => {
  // GIVEN every policy of both sets, each binding narrowed to the rule's namespace for its action, loaded for real
  for (const [action, set] of sets) {
    for (const [ruleId, { policy, binding }] of set) {
      const namespace = namespaceOf(ruleId, action);
      await namespaceWith(namespace, {}, []);
      await create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
      await create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace }, automountServiceAccountToken: false });
      await create(labelled(policy));
      await create(narrowed(binding, namespace));
    }
  }
  await policiesLoaded(run, namespaceOf(compiledCases[0][0], 'deny'));
}, 120_000);

afterAll(async () => {
  for (const kind of ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']) {
    await deleteLabelled({ apiVersion: 'admissionregistration.k8s.io/v1', kind }, `${RUN_LABEL}=${run}`);
  }
});

/**
 * The fixture in the namespace (every fixture is written for namespace shop), made an object the API server's validation
 * accepts, so that admission judges it: a privileged container may not set allowPrivilegeEscalation to false (the
 * hardened fixture does), a hostProcess pod must use the host network, a Service needs a port.
 */
function inNamespace(manifest: any, namespace: string): any {
  const copy = JSON.parse(JSON.stringify(manifest));
  if (copy.metadata.namespace) copy.metadata.namespace = namespace;
  if (copy.kind === 'Service') copy.spec.ports ??= [{ port: 80 }];
  const visit = (node: any) => {
    if (node === null || typeof node !== 'object') return;
    if (node.privileged === true && node.allowPrivilegeEscalation === false) delete node.allowPrivilegeEscalation;
    if (Array.isArray(node.containers) && node.securityContext?.windowsOptions?.hostProcess === true) node.hostNetwork = true;
    Object.values(node).forEach(visit);
  };
  visit(copy);
  return copy;
}

const unjudgeable: string[] = [];

describe('the generated admission policies, loaded into a real API server', () => {
  test('every compiled rule has fixtures', () => {
    expect(compiledCases.length).toBe(sets.get('deny')!.size);
    expect(compiledCases.length).toBe(25);
  });

  test.each(compiledCases)('%s: compliant fixtures admitted, non-compliant denied or warned with its message, as the offline harness judges', async (ruleId, compliant, nonCompliant) => {
    const problems: string[] = [];
    for (const [action, set] of sets) {
      const { policy, binding } = set.get(ruleId)!;
      const actions: string[] = binding.spec.validationActions;
      const namespace = namespaceOf(ruleId, action);
      // GIVEN the rule's fixtures (the digest rule's compliant one is its own), as a Deployment, a CronJob and a Pod
      const good = [...compliant(), ...(ruleId === 'BP-IMAGE-DIGEST' ? [] : [hardenedDeployment()])].filter((m) => evaluator.covers(policy.spec, m));
      const bad = (ruleId === 'BP-IMAGE-DIGEST' ? [hardenedDeployment()] : nonCompliant()).filter((m) => evaluator.covers(policy.spec, m));
      const requests = [[false, good], [true, bad]].flatMap(([violates, fixtures]) => (fixtures as any[]).flatMap((f) => (f.kind === 'Deployment'
        ? SHAPES.map(([shape, reshape]) => ({ violates: violates as boolean, shape, manifest: inNamespace(reshape(f), namespace) }))
        : [{ violates: violates as boolean, shape: f.kind as string, manifest: inNamespace(f, namespace) }])));
      // WHEN each is created as a server-side dry run
      const results = await inParallel(requests, 8, async (r) => ({ ...r, response: await dryRunCreate(r.manifest) }));
      for (const { violates, shape, manifest, response } of results) {
        const where = `${action} (${actions.join(',')}) ${violates ? 'non-compliant' : 'compliant'} ${shape}`;
        const denial = response.status === 201 ? undefined : String(response.body?.message);
        const warning = response.warnings.find((w) => w.includes(`${ruleId}:`));
        if (denial !== undefined && !denial.includes('ValidatingAdmissionPolicy')) {
          problems.push(`${where}: refused for another reason: ${denial}`);
          continue;
        }
        // (procMount Unmasked is reset to Default before admission when the ProcMountType feature gate is off, as on the
        // bundled 1.32 server: the fixture cannot be judged there)
        if (violates && response.status === 201 && JSON.stringify(manifest).includes('"Unmasked"') && !JSON.stringify(response.body).includes('"Unmasked"')) {
          unjudgeable.push(`${ruleId} ${where}`);
          continue;
        }
        // THEN the server agrees with the offline CEL harness (on the object as sent: no mutating admission here but
        // ServiceAccount's, which adds a token volume to Pods that mount one)
        const offline = evaluator.evaluate(policy.spec, manifest).failures.length > 0;
        const failed = denial !== undefined || warning !== undefined;
        if (failed !== offline) problems.push(`${where}: server ${denial ?? warning ?? 'admits'}, offline harness ${offline ? 'fails it' : 'passes it'}`);
        // AND a compliant fixture passes; a non-compliant one is denied (Deny) or admitted with a warning (Warn), with the
        // policy's message (a CronJob without a probe is not judged by BP-PROBES: Jobs serve no traffic)
        if (!violates && failed) problems.push(`${where}: ${denial ?? warning}`);
        if (violates && !(shape === 'CronJob' && ruleId === 'BP-PROBES')) {
          const text = actions.includes('Deny') ? denial : warning;
          if (actions.includes('Deny') ? denial === undefined : denial !== undefined || warning === undefined) {
            problems.push(`${where}: expected ${actions.includes('Deny') ? 'a denial' : 'a warning'}, got ${denial ?? warning ?? 'admitted'}`);
          } else if (!new RegExp(`'${policy.metadata.name}'.*: ${ruleId}: .+; fix: `).test(text!)) {
            // (the policy's message: the rule, what is wrong, the fix; the finding's details, rule-cases' regex, are synth's)
            problems.push(`${where}: the message does not name the policy, the rule, the problem and the fix: ${text}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('only procMount fixtures go unjudged (the server reset the field), and only for the procMount rules', () => {
    expect(unjudgeable.filter((u) => !/^PSS-PROC-MOUNT(-RESTRICTED)? /.test(u))).toEqual([]);
  });
});
