import { list, record } from './cluster-facts';
import { podOf } from '../../../k8s/evaluated-object';
import { describeObject, PolicyObject } from '../../../k8s/policy-object';
import { formatMillis, quantityMillis } from '../../../k8s/quantity-value';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

/** A quantity as written, its value in thousandths, and where it came from when it was not written there. */
interface Value {
  readonly millis: bigint;
  readonly text: string;
  readonly from?: string;
}

type Values = Map<string, Value>;

/** One item of `spec.limits`, after the API server's defaulting of LimitRange items. */
interface LimitItem {
  readonly index: number;
  readonly type: string;
  readonly min: Values;
  readonly max: Values;
  readonly defaults: Values;
  readonly defaultRequest: Values;
  readonly ratio: Values;
}

interface ParsedLimitRange {
  readonly object: PolicyObject;
  readonly items: LimitItem[];
  /** Why the API server refuses the LimitRange, if it does. */
  readonly problems: string[];
}

/** A container's (or the pod's) requests and limits as the LimitRanger admission sees them. */
interface Resources {
  readonly requests: Values;
  readonly limits: Values;
}

/**
 * Pods satisfy the LimitRanges of their namespace: every container's requests and limits within the
 * `type: Container` min/max and maxLimitRequestRatio, and the pod's totals within the `type: Pod` ones.
 *
 * Values are judged as the API server judges a new pod: a container's missing requests are first copied
 * from its limits (pod defaulting), then the LimitRanges' defaults fill what is still missing (limits
 * from `default`, requests from `defaultRequest`; the first LimitRange of the namespace that has one
 * wins). A LimitRange's own defaults are completed as the API server completes them (`default` from
 * `max`, `defaultRequest` from `default`, else from `min`), so a container that sets nothing gets values
 * inside the range and is fine. A LimitRange whose (completed) defaults fall outside its own min/max,
 * or whose bounds contradict each other, is refused by the API server: that is a finding on the
 * LimitRange, and it is not used to judge pods. Quantities are compared in thousandths, rounded up, as
 * the API server does. Pod totals follow the LimitRanger: the sum of the containers and sidecars, or
 * the largest init container (plus the sidecars started before it) when that is more.
 */
export class LimitRangeRule extends CrossObjectCheck {
  public constructor() {
    super({
      id: 'K8S-LIMIT-RANGE',
      title: 'Container and pod requests and limits are within the LimitRange of their namespace',
      rationale: 'The LimitRanger admission refuses pods outside the namespace\'s LimitRange: the workload is accepted, but its controller '
        + 'cannot create a single pod. A LimitRange with defaults outside its own bounds is refused itself.',
      severity: Severity.ERROR,
      standard: 'Kubernetes LimitRanger admission: min, max, default, defaultRequest, maxLimitRequestRatio',
      fix: 'Bring the requests and limits within the LimitRange (or change its min/max/maxLimitRequestRatio); keep a LimitRange\'s '
        + 'default and defaultRequest between its min and max, and defaultRequest at most default.',
      admission: AdmissionCheck.notExpressible('compares pods with the LimitRange of their namespace (cross-object; the LimitRanger admission plugin applies it in the cluster)'),
    });
  }

  protected judgeSet(objects: PolicyObject[], results: RuleResults): void {
    const byNamespace = new Map<string, ParsedLimitRange[]>();
    for (const object of objects) {
      if (object.kind !== 'LimitRange') continue;
      const parsed = parseLimitRange(object);
      if (parsed.problems.length === 0) {
        results.pass(object);
        const key = object.namespace ?? '';
        const found = byNamespace.get(key);
        if (found) found.push(parsed);
        else byNamespace.set(key, [parsed]);
      }
      for (const message of parsed.problems) results.fail(object, message);
    }
    if (byNamespace.size === 0) return;

    const contexts = new Map<string, NamespaceLimits>();
    for (const [namespace, ranges] of byNamespace) contexts.set(namespace, namespaceLimits(ranges));
    for (const object of objects) {
      const limits = contexts.get(object.namespace ?? '');
      if (!limits) continue;
      const pod = podOf(object);
      if (!pod) continue;
      const problems = checkPod(pod.spec, pod.pointer, limits);
      results.judge(object, problems);
    }
  }
}

function parseValues(value: unknown, where: string, problems: string[]): Values {
  const values: Values = new Map();
  for (const [resource, quantity] of Object.entries(record(value) ?? {})) {
    const millis = quantityMillis(quantity);
    if (millis === undefined) problems.push(`${where}.${resource} ${JSON.stringify(quantity)} is not a quantity: the API server refuses the LimitRange`);
    else values.set(resource, { millis, text: String(quantity) });
  }
  return values;
}

function parseLimitRange(object: PolicyObject): ParsedLimitRange {
  const problems: string[] = [];
  const items: LimitItem[] = [];
  list(record(object.manifest.spec)?.limits).forEach((raw: unknown, index: number) => {
    const item = record(raw) ?? {};
    const at = `spec.limits[${index}]`;
    const type = typeof item.type === 'string' ? item.type : '';
    const parsed: LimitItem = {
      index,
      type,
      min: parseValues(item.min, `${at}.min`, problems),
      max: parseValues(item.max, `${at}.max`, problems),
      defaults: parseValues(item.default, `${at}.default`, problems),
      defaultRequest: parseValues(item.defaultRequest, `${at}.defaultRequest`, problems),
      ratio: parseValues(item.maxLimitRequestRatio, `${at}.maxLimitRequestRatio`, problems),
    };
    if (type === 'Pod' && (parsed.defaults.size || parsed.defaultRequest.size)) {
      problems.push(`${at} (type Pod) sets default or defaultRequest, which only type Container may: the API server refuses the LimitRange`);
    }
    if (type === 'Container') {
      // The API server's defaulting of LimitRange items (SetDefaults_LimitRangeItem).
      for (const [r, v] of parsed.max) if (!parsed.defaults.has(r)) parsed.defaults.set(r, { ...v, from: `from ${at}.max` });
      for (const [r, v] of parsed.defaults) if (!parsed.defaultRequest.has(r)) parsed.defaultRequest.set(r, { ...v, from: `from ${at}.default${v.from ? ` ${v.from}` : ''}` });
      for (const [r, v] of parsed.min) if (!parsed.defaultRequest.has(r)) parsed.defaultRequest.set(r, { ...v, from: `from ${at}.min` });
    }
    problems.push(...contradictions(parsed, at));
    items.push(parsed);
  });
  return { object, items, problems };
}

/** The API server's validation of a LimitRange item (ValidateLimitRange), on the defaulted item. */
function contradictions(item: LimitItem, at: string): string[] {
  const problems: string[] = [];
  const show = (field: string, r: string, v: Value) => `${field} ${r} ${v.text}${v.from ? ` (${v.from})` : ''}`;
  const resources = new Set([...item.min.keys(), ...item.max.keys(), ...item.defaults.keys(), ...item.defaultRequest.keys(), ...item.ratio.keys()]);
  for (const r of resources) {
    const min = item.min.get(r);
    const max = item.max.get(r);
    const def = item.defaults.get(r);
    const req = item.defaultRequest.get(r);
    const ratio = item.ratio.get(r);
    const pairs: Array<[string, Value | undefined, string, Value | undefined]> = [
      ['min', min, 'max', max], ['min', min, 'defaultRequest', req], ['defaultRequest', req, 'max', max],
      ['defaultRequest', req, 'default', def], ['min', min, 'default', def], ['default', def, 'max', max],
    ];
    for (const [lowName, low, highName, high] of pairs) {
      if (low && high && low.millis > high.millis) {
        problems.push(`${at} (type ${item.type}): ${show(lowName, r, low)} is greater than ${show(highName, r, high)}: the API server refuses the LimitRange`);
      }
    }
    if (ratio && ratio.millis < 1000n) {
      problems.push(`${at} (type ${item.type}): maxLimitRequestRatio ${r} ${ratio.text} is less than 1: the API server refuses the LimitRange`);
    }
    // ratio > max / min, compared without division: ratio(thousandths) × min > max × 1000.
    if (ratio && min && max && min.millis > 0n && ratio.millis * min.millis > max.millis * 1000n) {
      problems.push(`${at} (type ${item.type}): maxLimitRequestRatio ${r} ${ratio.text} is greater than max/min (${max.text}/${min.text}): `
        + 'the API server refuses the LimitRange');
    }
  }
  return problems;
}

function parseResources(resources: unknown): Resources {
  const r = record(resources) ?? {};
  const read = (value: unknown): Values => {
    const values: Values = new Map();
    for (const [name, quantity] of Object.entries(record(value) ?? {})) {
      const millis = quantityMillis(quantity);
      if (millis !== undefined) values.set(name, { millis, text: String(quantity) });
    }
    return values;
  };
  return { requests: read(r.requests), limits: read(r.limits) };
}

/** What the valid LimitRanges of a namespace impose: merged defaults, and the items that bound containers and pods. */
interface NamespaceLimits {
  readonly defaultLimits: Values;
  readonly defaultRequests: Values;
  readonly items: Array<{ item: LimitItem; bound: string }>;
}

function namespaceLimits(ranges: ParsedLimitRange[]): NamespaceLimits {
  // The defaults of every LimitRange of the namespace, the first one that sets a resource winning
  // (each LimitRange fills only what is still missing); within one LimitRange the last item wins.
  const defaultLimits: Values = new Map();
  const defaultRequests: Values = new Map();
  const items: Array<{ item: LimitItem; bound: string }> = [];
  for (const range of ranges) {
    const limits: Values = new Map();
    const requests: Values = new Map();
    for (const item of range.items) {
      if (item.type !== 'Container' && item.type !== 'Pod') continue;
      items.push({ item, bound: `${describeObject(range.object)} (spec.limits[${item.index}], type ${item.type})` });
      if (item.type !== 'Container') continue;
      const source = (v: Value, field: string) => `${field} of ${describeObject(range.object)}${v.from ? `, ${v.from}` : ''}`;
      for (const [r, v] of item.defaults) limits.set(r, { ...v, from: source(v, `spec.limits[${item.index}].default`) });
      for (const [r, v] of item.defaultRequest) requests.set(r, { ...v, from: source(v, `spec.limits[${item.index}].defaultRequest`) });
    }
    for (const [r, v] of limits) if (!defaultLimits.has(r)) defaultLimits.set(r, v);
    for (const [r, v] of requests) if (!defaultRequests.has(r)) defaultRequests.set(r, v);
  }
  return { defaultLimits, defaultRequests, items };
}

function checkPod(spec: any, pointer: string, { defaultLimits, defaultRequests, items }: NamespaceLimits): string[] {
  const containers: Array<{ where: string; resources: Resources; sidecar: boolean; init: boolean }> = [];
  for (const field of ['initContainers', 'containers']) {
    list(spec?.[field]).forEach((c: any, i: number) => {
      const resources = parseResources(record(c)?.resources);
      // Pod defaulting: a request left out is the limit.
      for (const [r, v] of resources.limits) if (!resources.requests.has(r)) resources.requests.set(r, { ...v, from: 'copied from its limit' });
      for (const [r, v] of defaultLimits) if (!resources.limits.has(r)) resources.limits.set(r, v);
      for (const [r, v] of defaultRequests) if (!resources.requests.has(r)) resources.requests.set(r, v);
      const name = typeof c?.name === 'string' ? ` (${c.name})` : '';
      containers.push({
        where: `${pointer}/${field}/${i}${name}`,
        resources,
        init: field === 'initContainers',
        sidecar: field === 'initContainers' && c?.restartPolicy === 'Always',
      });
    });
  }

  const problems: string[] = [];
  for (const c of containers) {
    // Defaults can put a request above its limit; the pod is then invalid, whatever the LimitRange bounds.
    for (const [r, request] of c.resources.requests) {
      const limit = c.resources.limits.get(r);
      if (limit && (request.from || limit.from) && request.millis > limit.millis) {
        problems.push(`${c.where}: ${r} ${describe('request', request)} is greater than its ${describe('limit', limit)}: the API server refuses its pods`);
      }
    }
  }
  for (const { item, bound } of items) {
    if (item.type === 'Container') {
      for (const c of containers) problems.push(...checkBounds(c.where, c.resources, item, bound));
    } else {
      problems.push(...checkBounds(`${pointer} (the pod's total)`, podTotals(containers, spec), item, bound));
    }
  }
  return problems;
}

function describe(what: string, v: Value): string {
  return `${what} ${v.text}${v.from ? ` (${v.from})` : ''}`;
}

/** min, max and maxLimitRequestRatio of one LimitRange item against requests and limits (upstream min/maxConstraint). */
function checkBounds(where: string, resources: Resources, item: LimitItem, bound: string): string[] {
  const problems: string[] = [];
  const refused = item.type === 'Pod' ? 'the API server refuses the pods' : 'the API server refuses its pods';
  for (const [r, min] of item.min) {
    const request = resources.requests.get(r);
    const limit = resources.limits.get(r);
    if (!request) problems.push(`${where}: no ${r} request, but ${bound} sets min ${r} ${min.text}: ${refused}`);
    else if (request.millis < min.millis) problems.push(`${where}: ${r} ${describe('request', request)} is below min ${min.text} of ${bound}: ${refused}`);
    if (limit && limit.millis < min.millis) problems.push(`${where}: ${r} ${describe('limit', limit)} is below min ${min.text} of ${bound}: ${refused}`);
  }
  for (const [r, max] of item.max) {
    const request = resources.requests.get(r);
    const limit = resources.limits.get(r);
    if (!limit) problems.push(`${where}: no ${r} limit, but ${bound} sets max ${r} ${max.text}: ${refused}`);
    else if (limit.millis > max.millis) problems.push(`${where}: ${r} ${describe('limit', limit)} is above max ${max.text} of ${bound}: ${refused}`);
    if (request && request.millis > max.millis) problems.push(`${where}: ${r} ${describe('request', request)} is above max ${max.text} of ${bound}: ${refused}`);
  }
  for (const [r, ratio] of item.ratio) {
    const request = resources.requests.get(r);
    const limit = resources.limits.get(r);
    if (!request || request.millis === 0n) {
      problems.push(`${where}: no ${r} request (or 0), but ${bound} sets maxLimitRequestRatio ${r} ${ratio.text}: ${refused}`);
    } else if (!limit || limit.millis === 0n) {
      problems.push(`${where}: no ${r} limit (or 0), but ${bound} sets maxLimitRequestRatio ${r} ${ratio.text}: ${refused}`);
    } else if (limit.millis * 1000n > ratio.millis * request.millis) {
      // limit / request > ratio, compared without division.
      const shown = Number((limit.millis * 1000n) / request.millis) / 1000;
      problems.push(`${where}: ${r} limit/request ratio ${shown} (${describe('limit', limit)} / ${describe('request', request)}) is above `
        + `maxLimitRequestRatio ${ratio.text} of ${bound}: ${refused}`);
    }
  }
  return problems;
}

/**
 * The pod's requests and limits as the LimitRanger sums them: regular containers and sidecars (init
 * containers with restartPolicy Always) add up; an init container counts with the sidecars started
 * before it; the pod needs the larger of the two. Pod-level `spec.resources`, where set, win.
 */
function podTotals(containers: Array<{ resources: Resources; sidecar: boolean; init: boolean }>, spec: any): Resources {
  const total = (field: 'requests' | 'limits'): Values => {
    const sum = new Map<string, bigint>();
    const sidecars = new Map<string, bigint>();
    const initPeak = new Map<string, bigint>();
    const add = (into: Map<string, bigint>, r: string, v: bigint) => into.set(r, (into.get(r) ?? 0n) + v);
    for (const c of containers) {
      const values = c.resources[field];
      if (!c.init) {
        for (const [r, v] of values) add(sum, r, v.millis);
      } else if (c.sidecar) {
        for (const [r, v] of values) {
          add(sum, r, v.millis);
          add(sidecars, r, v.millis);
        }
        for (const [r, v] of sidecars) if ((initPeak.get(r) ?? -1n) < v) initPeak.set(r, v);
      } else {
        for (const [r, v] of values) {
          const withSidecars = v.millis + (sidecars.get(r) ?? 0n);
          if ((initPeak.get(r) ?? -1n) < withSidecars) initPeak.set(r, withSidecars);
        }
      }
    }
    for (const [r, v] of initPeak) if ((sum.get(r) ?? -1n) < v) sum.set(r, v);
    const result: Values = new Map();
    for (const [r, v] of sum) result.set(r, { millis: v, text: formatMillis(v), from: 'the sum over its containers' });
    for (const [r, v] of parseResources(spec?.resources)[field]) result.set(r, { ...v, from: 'pod-level spec.resources' });
    return result;
  };
  return { requests: total('requests'), limits: total('limits') };
}
