import { describeObjects, list, record } from './cluster-facts';
import { describeObject, PolicyObject } from '../../../k8s/policy-object';
import { quantityMillis } from '../../../k8s/quantity-value';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

/** The quota resources a Service is charged against (upstream `serviceResources`). */
const SERVICE_RESOURCES = ['services', 'count/services', 'services.loadbalancers', 'services.nodeports'];

interface QuotaState {
  readonly object: PolicyObject;
  /** Hard limits of the service resources, in thousandths, with the text as written. */
  readonly hard: Array<{ resource: string; millis: bigint; text: string }>;
  /** What earlier admitted Services of the set use, and which Services use it. */
  readonly used: Map<string, { amount: number; by: PolicyObject[] }>;
}

/**
 * Services fit the ResourceQuotas of their namespace: the number of Services (`services`,
 * `count/services`), of LoadBalancer Services (`services.loadbalancers`) and of node ports
 * (`services.nodeports`). Counted as the API server's quota admission counts them: a NodePort Service
 * takes one node port per port, and so does a LoadBalancer Service unless `allocateLoadBalancerNodePorts`
 * is false (then only ports with an explicit nodePort count). The Services of the set are admitted in
 * order, each charged only if it fits every quota; quotas are taken to exist first (Helm, Argo CD and
 * `kubectl apply` of a sorted file create ResourceQuotas before Services). Quotas with scopes never
 * match Services. Services already in the cluster are not known: the counts are a lower bound.
 *
 * Separate from NSA-SERVICE-EXPOSURE: acknowledging an intended LoadBalancer does not make the cluster
 * accept it.
 */
export class QuotaServiceTypeRule extends CrossObjectCheck {
  public constructor() {
    super({
      id: 'K8S-QUOTA-SERVICE-TYPE',
      title: 'Services fit the ResourceQuota of their namespace (Services, LoadBalancers, node ports)',
      rationale: 'The API server refuses a Service that takes its namespace past a ResourceQuota: the apply fails half-way and the Service never exists.',
      severity: Severity.ERROR,
      standard: 'Kubernetes ResourceQuota admission: services, count/services, services.loadbalancers, services.nodeports',
      fix: 'Raise services.loadbalancers or services.nodeports in the namespace\'s ResourceQuota, expose the pods through a ClusterIP Service '
        + 'behind an Ingress or Gateway, or set allocateLoadBalancerNodePorts: false on a LoadBalancer that needs no node ports.',
      constructFix: 'DefaultDenyNamespace sets that quota from quota.loadBalancers and quota.nodePorts.',
      admission: AdmissionCheck.notExpressible('compares Services with the ResourceQuota of their namespace (cross-object; the ResourceQuota admission plugin applies it)'),
    });
  }

  protected judgeSet(objects: PolicyObject[], results: RuleResults): void {
    const quotas = new Map<string, QuotaState[]>();
    for (const o of objects) {
      if (o.kind !== 'ResourceQuota') continue;
      const spec = record(o.manifest.spec) ?? {};
      // Services match no quota scope (upstream MatchesNoScopeFunc): a scoped quota never counts them.
      if (list(spec.scopes).length > 0 || spec.scopeSelector !== undefined) continue;
      const hard = record(spec.hard) ?? {};
      const limits = SERVICE_RESOURCES.flatMap((resource) => {
        const millis = quantityMillis(hard[resource]);
        return millis === undefined ? [] : [{ resource, millis, text: String(hard[resource]) }];
      });
      if (limits.length === 0) continue;
      const key = o.namespace ?? '';
      const state = { object: o, hard: limits, used: new Map() };
      const found = quotas.get(key);
      if (found) found.push(state);
      else quotas.set(key, [state]);
    }
    if (quotas.size === 0) return;

    for (const service of objects) {
      if (service.kind !== 'Service') continue;
      const applicable = quotas.get(service.namespace ?? '');
      if (!applicable) continue;
      const usage = serviceUsage(service.manifest);
      const problems: string[] = [];
      for (const quota of applicable) {
        for (const { resource, millis, text } of quota.hard) {
          const needed = usage.get(resource)?.amount ?? 0;
          if (needed === 0) continue;
          const used = quota.used.get(resource) ?? { amount: 0, by: [] };
          if (BigInt(used.amount + needed) * 1000n <= millis) continue;
          const taken = used.amount ? `${used.amount} already taken by ${describeObjects(used.by)}` : 'no earlier Service of the set takes any';
          problems.push(`${describeObject(quota.object)} allows ${resource} ${text} (${taken}); `
            + `this Service needs ${needed}${usage.get(resource)?.why ?? ''}: the API server refuses it (exceeded quota)`);
        }
      }
      if (problems.length === 0) {
        // Admitted: charged against every quota of its namespace.
        for (const quota of applicable) {
          for (const { resource } of quota.hard) {
            const needed = usage.get(resource)?.amount ?? 0;
            if (needed === 0) continue;
            const used = quota.used.get(resource);
            if (used) {
              used.amount += needed;
              used.by.push(service);
            } else {
              quota.used.set(resource, { amount: needed, by: [service] });
            }
          }
        }
        results.pass(service);
      }
      for (const message of problems) results.fail(service, message);
    }
  }
}

/** What a Service uses of each quota resource (upstream serviceEvaluator.Usage), with the reason for messages. */
function serviceUsage(manifest: any): Map<string, { amount: number; why?: string }> {
  const spec = record(manifest?.spec) ?? {};
  const ports = list(spec.ports);
  const usage = new Map<string, { amount: number; why?: string }>([['services', { amount: 1 }], ['count/services', { amount: 1 }]]);
  if (spec.type === 'NodePort') {
    usage.set('services.nodeports', { amount: ports.length, why: ` (a NodePort Service takes a node port for each of its ${plural(ports.length, 'port')})` });
  } else if (spec.type === 'LoadBalancer') {
    usage.set('services.loadbalancers', { amount: 1, why: ' (it is of type LoadBalancer)' });
    if (spec.allocateLoadBalancerNodePorts === false) {
      const explicit = ports.filter((p) => record(p)?.nodePort !== undefined && record(p)?.nodePort !== 0).length;
      usage.set('services.nodeports', { amount: explicit, why: ' (allocateLoadBalancerNodePorts is false: only ports with an explicit nodePort count)' });
    } else {
      usage.set('services.nodeports', {
        amount: ports.length,
        why: ` (a LoadBalancer Service takes a node port for each of its ${plural(ports.length, 'port')} unless allocateLoadBalancerNodePorts is false)`,
      });
    }
  }
  return usage;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
