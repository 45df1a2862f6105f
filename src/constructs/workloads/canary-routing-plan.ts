// How each kind of canary routing checks its options and renders its objects. Internal to the library:
// CanaryPair asks its CanaryRouting for a plan and never switches on the kind of routing.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { GatewayApiCanaryOptions, GatewayReference, HeaderMatch, IstioCanaryOptions } from './canary-routing';
import type { SecureDeployment } from './secure-deployment';
import { inputError, quote } from '../../core/errors';
import { validateDnsLabel, validateDnsSubdomain } from '../../core/names';
import { Plain } from '../../core/plain';
import { checkList, checkOptionalBoolean, checkOptionalString, checkPropsObject, checkString, checkStringList, PropKeys } from '../../core/prop-checks';
import type * as GatewayApi from '../../imports/gateway.networking.k8s.io';
import { parseIp } from '../../k8s/cidr';
import { kube } from '../../k8s/objects';
import { DEFAULT_PORT_NAME } from '../../k8s/ports';
import { describeCredential, findCredentials } from '../../parsers/credentials';
import { re2SyntaxProblem } from '../../parsers/re2-syntax';

/** The label that tells the versions apart (Istio subsets select on it). */
export const TRACK_LABEL = 'version';

/** The two versions. */
export type Track = 'stable' | 'canary';

/** What a plan renders from: the pair's checked inputs and its versions. */
export interface RoutingContext {
  readonly scope: Construct;
  readonly where: string;
  /** The app name: the shared Service, the Istio host, the route. */
  readonly name: string;
  readonly namespace?: string;
  readonly port: number;
  readonly canaryWeight: number;
  readonly labels: { [key: string]: string };
  readonly stable?: SecureDeployment;
  readonly canary?: SecureDeployment;
}

/** A routing, checked: what the pair deploys for it and the objects it renders. */
export interface CanaryRoutingPlan {
  /** Whether each version has its own Service (the Gateway API routes to Services, not subsets). */
  readonly servicePerVersion: boolean;
  /** The namespace of the Gateway, whose proxies must reach the versions. */
  readonly gatewayNamespace?: string;
  /** Whether a version runs at a weight (replica routing drops the version that takes no traffic). */
  deploys(track: Track, canaryWeight: number): boolean;
  /** Checks the replica counts against the weight (only replica routing splits by replicas). */
  checkReplicas(where: string, stable: number, canary: number, canaryWeight: number): void;
  /** The routing objects. */
  render(context: RoutingContext): ApiObject[];
}

/** Istio's limit on a regex (istiod refuses longer ones, approximating Envoy's RE2 program-size limit). */
const HEADER_MATCH: PropKeys<HeaderMatch> = { name: true, exact: true, prefix: true, regex: true };
const ISTIO_CANARY_OPTIONS: PropKeys<IstioCanaryOptions> = { matchHeaders: true, mirror: true };
const GATEWAY_REFERENCE: PropKeys<GatewayReference> = { name: true, namespace: true, sectionName: true };
const GATEWAY_API_CANARY_OPTIONS: PropKeys<GatewayApiCanaryOptions> = { gateway: true, hostnames: true, matchHeaders: true, mirror: true };

const MAX_REGEX_BYTES = 1024;
/** The Gateway API's limits (HTTPRoute CRD): header matches per rule, header-name and value lengths. */
const MAX_GATEWAY_HEADERS = 16;
const MAX_HEADER_NAME = 256;
const MAX_HEADER_VALUE = 4096;
const MAX_HOSTNAMES = 16;
/** An HTTP header name (RFC 9110 token), the Gateway API's pattern. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** Keys Istio's VirtualService ignores in `headers` (its docs): a match on them would match every request. */
const ISTIO_IGNORED_HEADERS = new Set(['uri', 'scheme', 'method', 'authority']);

/** A header match, checked: its name as given and lower case, and its one condition. */
interface CheckedHeader {
  readonly name: string;
  readonly key: string;
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

function checkRegex(where: string, what: string, regex: string): void {
  const bytes = Buffer.byteLength(regex, 'utf8');
  if (bytes > MAX_REGEX_BYTES) {
    throw inputError(where, `${what} is ${bytes} bytes long, over the ${MAX_REGEX_BYTES} Istio accepts`, 'shorten the expression, or match on a shorter part of the value');
  }
  const problem = re2SyntaxProblem(regex);
  if (problem) {
    throw inputError(where, `${what} ${quote(regex)} is not valid RE2 (the syntax Envoy runs for Istio and Gateway API matches): ${problem.problem}`, problem.fix);
  }
}

/** Checks header matches: names as HTTP tokens, once each (compared case-insensitively), one condition each. */
function checkHeaders(where: string, what: string, given: unknown, routing: 'istio' | 'gateway-api'): CheckedHeader[] {
  if (given === undefined) return [];
  const list = checkList<HeaderMatch>(where, what, given);
  if (routing === 'gateway-api' && list.length > MAX_GATEWAY_HEADERS) {
    throw inputError(where, `${what} lists ${list.length} headers, more than the ${MAX_GATEWAY_HEADERS} an HTTPRoute match holds`, 'match on fewer headers');
  }
  const seen = new Map<string, string>();
  return list.map((header, i) => {
    const at = `${what}[${i}]`;
    checkPropsObject(where, header, HEADER_MATCH, at);
    const name = checkString(where, `${at}.name`, header.name);
    if (name.length > MAX_HEADER_NAME || !HEADER_NAME.test(name)) {
      throw inputError(where, `header name ${quote(name)} (${at}) is not a valid HTTP header name`, 'use a token of letters, digits and !#$%&\'*+.^_`|~- such as "user-agent" (pseudo-headers like :authority cannot be matched here)');
    }
    const key = name.toLowerCase();
    if (seen.has(key)) {
      throw inputError(
        where,
        `header ${quote(name)} (${at}) is matched twice (also as ${quote(seen.get(key))}); header names are case-insensitive, so one match would silently replace the other`,
        'merge the conditions into one match (e.g. one regex)',
      );
    }
    seen.set(key, name);
    if (routing === 'istio' && ISTIO_IGNORED_HEADERS.has(key)) {
      throw inputError(
        where,
        `header ${quote(name)} (${at}) is one of the keys Istio ignores in a header match (uri, scheme, method, authority), so every request would go to the canary`,
        'match on another header; Istio matches these request properties through fields this construct does not set',
      );
    }
    const exact = checkOptionalString(where, `${at}.exact`, header.exact);
    const prefix = checkOptionalString(where, `${at}.prefix`, header.prefix);
    const regex = checkOptionalString(where, `${at}.regex`, header.regex);
    const set = [exact, prefix, regex].filter((v) => v !== undefined);
    if (set.length !== 1) {
      throw inputError(where, `header match ${quote(name)} (${at}) sets ${set.length} of exact, prefix, regex`, 'set exactly one of them');
    }
    const value = set[0]!;
    if (value === '') {
      throw inputError(where, `header match ${quote(name)} (${at}) has an empty value, which Istio reads as "header present" and the Gateway API refuses`, 'give the value to match; for any value use regex ".*"');
    }
    if (value.length > MAX_HEADER_VALUE) {
      throw inputError(where, `header match ${quote(name)} (${at}) has a value of ${value.length} characters, over the ${MAX_HEADER_VALUE} the Gateway API accepts`, 'shorten the value');
    }
    if (regex === undefined && /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      throw inputError(where, `header match ${quote(name)} (${at}) expects control characters, which HTTP header values never hold`, 'remove them; the match could never succeed');
    }
    // A header value in a route is a manifest value: a token matched exactly would be published with it.
    const found = findCredentials(value, regex === undefined ? { name } : undefined);
    if (found.length) {
      throw inputError(
        where,
        `header match ${quote(name)} (${at}) holds ${describeCredential(found[0])} (value not shown), which would be written into the routing objects`,
        'route on a header that carries no secret (e.g. a x-canary: "true" header set by a trusted proxy)',
      );
    }
    if (regex !== undefined) checkRegex(where, `header regex of ${quote(name)} (${at})`, regex);
    return { name, key, exact, prefix, regex };
  });
}

function escapeRe2(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function checkReplicaRatio(where: string, stable: number, canary: number, weight: number): void {
  if (canary * 100 === weight * (stable + canary)) return;
  const divisor = gcd(weight, 100);
  const unitCanary = weight / divisor;
  const unitTotal = 100 / divisor;
  const options = [1, 2, 3].map((k) => `stable ${k * (unitTotal - unitCanary)} / canary ${k * unitCanary}`).filter((o) => !o.includes(' 0'));
  const actual = (canary * 100) / (stable + canary);
  const suggestion = `use replica counts such as ${options.join(', ')}`;
  throw inputError(
    where,
    `replicas stable ${stable} / canary ${canary} give the canary ${Number.isInteger(actual) ? actual : actual.toFixed(1)}% of the traffic, not canaryWeight ${weight}%`,
    `${suggestion}${Number.isInteger(actual) ? `, or set canaryWeight to ${actual}` : ''}; or route by exact weight with CanaryRouting.istio() or CanaryRouting.gatewayApi()`,
  );
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** One Service over both versions (by app name). */
function sharedService(context: RoutingContext): ApiObject {
  return kube.service(context.scope, 'Service', {
    metadata: { name: context.name, namespace: context.namespace, labels: context.labels },
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': context.name },
      ports: [{ name: DEFAULT_PORT_NAME, port: context.port, targetPort: DEFAULT_PORT_NAME, protocol: 'TCP' }],
    },
  });
}

/** No mesh: the share of canary replicas is the share of traffic. */
export function replicaPlan(): CanaryRoutingPlan {
  return {
    servicePerVersion: false,
    // At 0 or 100 only one version takes traffic, so only that one is deployed.
    deploys: (track, weight) => (track === 'stable' ? weight < 100 : weight > 0),
    checkReplicas: (where, stable, canary, weight) => {
      if (weight > 0 && weight < 100) checkReplicaRatio(where, stable, canary, weight);
    },
    render: (context) => [sharedService(context)],
  };
}

/** Istio: DestinationRule subsets and a VirtualService with exact weights, header routes and mirroring. */
export function istioPlan(where: string, given: IstioCanaryOptions): CanaryRoutingPlan {
  const options = checkPropsObject(where, given, ISTIO_CANARY_OPTIONS, 'CanaryRouting.istio options');
  const headers = checkHeaders(where, 'CanaryRouting.istio matchHeaders', options.matchHeaders, 'istio');
  const mirror = checkOptionalBoolean(where, 'CanaryRouting.istio mirror', options.mirror) ?? false;
  return {
    servicePerVersion: false,
    deploys: () => true,
    checkReplicas: () => undefined,
    render: (context) => {
      const host = context.namespace ? `${context.name}.${context.namespace}.svc.cluster.local` : context.name;
      const shared = sharedService(context);
      const metadata = { name: context.name, namespace: context.namespace, labels: context.labels };
      const rule = kube.destinationRule(context.scope, 'DestinationRule', {
        metadata,
        spec: { host, subsets: (['stable', 'canary'] as Track[]).map((track) => ({ name: track, labels: { [TRACK_LABEL]: track } })) },
      });
      const weighted = [
        { destination: { host, subset: 'stable' }, weight: 100 - context.canaryWeight },
        { destination: { host, subset: 'canary' }, weight: context.canaryWeight },
      ].filter((route) => route.weight > 0);
      const mirrorSpec = mirror ? { mirror: { host, subset: 'canary' }, mirrorPercentage: { value: 100 } } : {};
      const headerRoutes = headers.length ? [{
        name: 'canary-by-header',
        // Istio wants lower-case keys; names are unique case-insensitively, so no key replaces another.
        match: [{ headers: Object.fromEntries(headers.map((h) => [h.key, { exact: h.exact, prefix: h.prefix, regex: h.regex }])) }],
        route: [{ destination: { host, subset: 'canary' } }],
      }] : [];
      const service = kube.virtualService(context.scope, 'VirtualService', {
        metadata,
        spec: { hosts: [host], http: [...headerRoutes, { name: 'weighted', route: weighted, ...mirrorSpec }] },
      });
      return [shared, rule, service];
    },
  };
}

/** Checks a route host name as the HTTPRoute CRD does: a DNS name, optionally `*.`-prefixed, never an IP address. */
export function checkRouteHostname(where: string, what: string, hostname: string): string {
  if (hostname === '*') {
    throw inputError(where, `${what} "*" is a bare wildcard, which the Gateway API refuses`, 'name the host (e.g. "reco.example.com"), or a wildcard under a domain ("*.example.com"); leave hostnames unset to serve every host name of the listener');
  }
  if (hostname.endsWith('.')) {
    throw inputError(where, `${what} ${quote(hostname)} ends with a dot, which the Gateway API refuses`, `write ${quote(hostname.replace(/\.+$/, ''))}`);
  }
  const bare = hostname.replace(/^\*\./, '');
  if (parseIp(bare) || /(^|\.)[0-9]+$/.test(bare)) {
    throw inputError(where, `${what} ${quote(hostname)} is an IP address, which the Gateway API refuses in hostnames`, 'use the DNS name clients send in the Host header, or leave hostnames unset');
  }
  validateDnsSubdomain(where, what, bare);
  if (hostname.length > 253) throw inputError(where, `${what} ${quote(hostname)} is longer than 253 characters`, 'use a shorter name');
  return hostname;
}

export function checkGateway(where: string, given: GatewayReference, what = 'CanaryRouting.gatewayApi gateway'): GatewayReference {
  const ref = checkPropsObject(where, given, GATEWAY_REFERENCE, what);
  const name = validateDnsSubdomain(where, 'gateway name', checkString(where, 'gateway name', ref.name));
  const namespace = checkOptionalString(where, 'gateway namespace', ref.namespace);
  const sectionName = checkOptionalString(where, 'gateway sectionName', ref.sectionName);
  return {
    name,
    namespace: namespace === undefined ? undefined : validateDnsLabel(where, 'gateway namespace', namespace),
    // A listener name is a DNS-1123 subdomain (the Gateway API's SectionName).
    sectionName: sectionName === undefined ? undefined : validateDnsSubdomain(where, 'gateway sectionName', sectionName),
  };
}

/** Checks the host names of an HTTPRoute: at most 16, each valid and listed once. */
export function checkRouteHostnames(where: string, given: unknown): string[] | undefined {
  const hostnames = given === undefined ? undefined : checkStringList(where, 'route hostnames', given);
  if (hostnames && hostnames.length > MAX_HOSTNAMES) {
    throw inputError(where, `route hostnames lists ${hostnames.length} names, more than the ${MAX_HOSTNAMES} an HTTPRoute holds`, 'split the hosts over several routes');
  }
  hostnames?.forEach((hostname, i) => {
    checkRouteHostname(where, `route hostname ${i}`, hostname);
    if (hostnames.indexOf(hostname) !== i) throw inputError(where, `route hostname ${quote(hostname)} is listed twice`, 'list each host name once');
  });
  return hostnames;
}

/** Gateway API: one Service per version and an HTTPRoute with weighted backendRefs, header matches and a RequestMirror filter. */
export function gatewayApiPlan(where: string, given: GatewayApiCanaryOptions): CanaryRoutingPlan {
  const options = checkPropsObject(where, given, GATEWAY_API_CANARY_OPTIONS, 'CanaryRouting.gatewayApi options');
  const ref = checkGateway(where, options.gateway);
  const hostnames = checkRouteHostnames(where, options.hostnames);
  const headers = checkHeaders(where, 'CanaryRouting.gatewayApi matchHeaders', options.matchHeaders, 'gateway-api');
  const mirror = checkOptionalBoolean(where, 'CanaryRouting.gatewayApi mirror', options.mirror) ?? false;
  const headerMatches = headers.map((header): Plain<GatewayApi.HttpRouteSpecRulesMatchesHeaders> => {
    if (header.exact !== undefined) return { type: 'Exact', name: header.name, value: header.exact };
    const value = header.regex ?? `^${escapeRe2(header.prefix!)}.*`;
    if (header.prefix !== undefined) checkRegex(where, `the expression for header prefix of ${quote(header.name)}`, value);
    return { type: 'RegularExpression', name: header.name, value };
  });
  return {
    servicePerVersion: true,
    gatewayNamespace: ref.namespace,
    deploys: () => true,
    checkReplicas: () => undefined,
    render: (context) => {
      const backend = (workload: SecureDeployment | undefined, weight: number) => ({ name: workload!.name, port: context.port, weight });
      const headerRules = headerMatches.length ? [{ matches: [{ headers: headerMatches }], backendRefs: [backend(context.canary, 1)] }] : [];
      const filters = mirror ? [{
        type: 'RequestMirror' as const,
        requestMirror: { backendRef: { name: context.canary!.name, port: context.port } },
      }] : undefined;
      return [kube.httpRoute(context.scope, 'HttpRoute', {
        metadata: { name: context.name, namespace: context.namespace, labels: context.labels },
        spec: {
          parentRefs: [{ name: ref.name, namespace: ref.namespace, sectionName: ref.sectionName }],
          hostnames,
          rules: [
            ...headerRules,
            { backendRefs: [backend(context.stable, 100 - context.canaryWeight), backend(context.canary, context.canaryWeight)], filters },
          ],
        },
      })];
    },
  };
}
