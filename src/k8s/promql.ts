// PromQL built from typed parts: names checked against Prometheus' grammar, label values as escaped string literals,
// and the address of a Prometheus server. The one place the library writes PromQL (AnalysisGate renders through it).
import { cloudMetadataAddress, specialAddress } from './addresses';
import { parseIp } from './cidr';
import { inputError, quote } from '../core/errors';
import { checkString } from '../core/prop-checks';
import { parseUrl, shownUrl } from '../parsers/url';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Host names of cloud metadata services (the addresses are CLOUD_METADATA_ADDRESSES). */
const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/** A metric name as Prometheus' grammar allows it (`http_requests_total`). */
export function validateMetricName(where: string, what: string, value: unknown): string {
  const name = checkString(where, what, value);
  if (!METRIC_NAME.test(name)) {
    throw inputError(where, `${what} ${quote(name)} is not a Prometheus metric name`, 'use letters, digits, _ and : (not first a digit), e.g. "http_requests_total"');
  }
  return name;
}

/** A label name as Prometheus' grammar allows it, not one of the reserved `__` names. */
export function validateLabelName(where: string, what: string, value: unknown): string {
  const name = checkString(where, what, value);
  if (!LABEL_NAME.test(name) || name.startsWith('__')) {
    throw inputError(where, `${what} ${quote(name)} is not a Prometheus label name`, 'use letters, digits and _ (not first a digit, not __-prefixed), e.g. "code"');
  }
  return name;
}

/** A PromQL string literal: backslash, double quote and line breaks escaped, so that no value ends the literal. */
export function promqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** An equality matcher `label="value"`, the name checked and the value escaped. */
export function equalityMatcher(where: string, what: string, label: string, value: string): string {
  return `${validateLabelName(where, what, label)}=${promqlString(value)}`;
}

/**
 * The base URL of a Prometheus HTTP API: http or https, without credentials, query or fragment, and not a cloud
 * metadata, loopback, link-local or unspecified address (which an in-cluster controller would query on a user's
 * behalf). A trailing slash is dropped.
 */
export function validatePrometheusAddress(where: string, what: string, value: unknown): string {
  const text = checkString(where, what, value);
  const url = parseUrl(text);
  if (url === undefined || !['http:', 'https:'].includes(url.protocol) || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== ''
    || /\s/.test(text) || text.includes('{{')) {
    throw inputError(where, `${what} ${shownUrl(text, url)} is not an http(s) URL without credentials, query or fragment`,
      'pass the Prometheus base URL, e.g. "http://prometheus-operated.monitoring.svc:9090"; keep credentials out of the URL');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  const ip = parseIp(host);
  const special = ip ? cloudMetadataAddress(ip) ?? specialAddress(ip)?.what : METADATA_HOSTS.has(host) || host === 'localhost' ? host : undefined;
  if (special !== undefined) {
    throw inputError(where, `${what} ${quote(text)} points at ${special}, not at a Prometheus server`,
      'pass the Prometheus Service\'s address, e.g. "http://prometheus-operated.monitoring.svc:9090"');
  }
  return text.replace(/\/+$/, '');
}
