import { podOf } from '../../../k8s/evaluated-object';
import { PolicyObject } from '../../../k8s/policy-object';
import { CredentialMatch, describeCredentialKind, findCredentials, findCredentialsInArgs } from '../../../parsers/credentials';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ObjectCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HOOKS = ['postStart', 'preStop'];

/**
 * No credential is written in clear text into env literals, command lines, annotations or ConfigMaps.
 * Values are judged as well as names (see `findCredentials`): a token in an innocently named variable, a
 * password in a JDBC URL on line 3 of `application.properties`, `--password=…` in `args`, a JWT in an
 * annotation. Messages say where and what kind of credential, never the value.
 */
export class CredentialsInConfigRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'NSA-CREDENTIALS',
      title: 'Credentials are kept in Secrets, not in env literals, command lines, annotations or ConfigMaps',
      rationale: 'Env literals, arguments, annotations and ConfigMaps are stored and shown in clear text (kubectl describe, logs, '
        + 'Git); Secrets can be encrypted at rest and access-controlled.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Authentication and authorization — secrets',
      fix: 'Move the value into a Secret and reference it (env valueFrom.secretKeyRef, $(VAR) in args, or a secret volume); rotate it if it was ever committed.',
      admission: AdmissionCheck.notExpressible('the credential detector (token formats, key material, names and values judged together, '
        + 'mounted ConfigMaps) is beyond what CEL can express within its cost budget'),
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    const manifest = object.manifest;
    if (manifest === null || typeof manifest !== 'object') return undefined;
    const found: string[] = [];
    let applies = false;
    const annotations = manifest.metadata?.annotations;
    if (isMap(annotations) && Object.keys(annotations).length > 0) {
      applies = true;
      scanMap(annotations, (key) => `annotation ${JSON.stringify(key)}`, found);
    }
    if (object.kind === 'ConfigMap') {
      applies = true;
      if (isMap(manifest.data)) scanMap(manifest.data, (key) => `ConfigMap key ${JSON.stringify(key)}`, found);
    }
    const pod = podOf(object);
    if (pod) {
      applies = true;
      if (isMap(pod.annotations) && pod.annotations !== annotations) {
        scanMap(pod.annotations, (key) => `pod template annotation ${JSON.stringify(key)}`, found);
      }
      for (const { container, pointer } of pod.containers) scanContainer(container, pointer, found);
    }
    return applies ? found : undefined;
  }
}

function isMap(value: unknown): value is { [key: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Scans each string value of a map under its key (annotations, ConfigMap data). */
function scanMap(map: { [key: string]: unknown }, where: (key: string) => string, found: string[]): void {
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'string') continue;
    for (const match of findCredentials(value, { name: key })) found.push(message(where(key), match));
  }
}

/** Env literals, command + args, exec commands and HTTP headers of probes and lifecycle hooks. */
function scanContainer(c: unknown, pointer: string, found: string[]): void {
  if (!isMap(c)) return;
  const container: any = c;
  if (Array.isArray(container.env)) {
    for (const entry of container.env) {
      if (!isMap(entry) || typeof entry.value !== 'string' || entry.value === '') continue;
      const name = typeof entry.name === 'string' ? entry.name : '';
      const label = /^[-._a-zA-Z0-9]+$/.test(name) ? name : JSON.stringify(name);
      for (const match of findCredentials(entry.value, { name })) found.push(message(`${pointer} env ${label}`, match));
    }
  }
  // command and args form one command line: a flag in one and its value in the other is still found.
  const command = Array.isArray(container.command) ? container.command : [];
  const args = Array.isArray(container.args) ? container.args : [];
  for (const match of findCredentialsInArgs([...command, ...args])) {
    const where = match.index < command.length ? `${pointer}/command/${match.index}` : `${pointer}/args/${match.index - command.length}`;
    found.push(message(where, match));
  }
  for (const field of PROBES) scanHandler(container[field], `${pointer}/${field}`, found);
  for (const hook of HOOKS) scanHandler(container.lifecycle?.[hook], `${pointer}/lifecycle/${hook}`, found);
}

/** A probe's or hook's exec command and HTTP header values. */
function scanHandler(handler: any, pointer: string, found: string[]): void {
  if (!isMap(handler)) return;
  const exec: any = handler.exec;
  if (isMap(exec) && Array.isArray(exec.command)) {
    for (const match of findCredentialsInArgs(exec.command)) found.push(message(`${pointer}/exec/command/${match.index}`, match));
  }
  const httpGet: any = handler.httpGet;
  const headers = isMap(httpGet) && Array.isArray(httpGet.httpHeaders) ? httpGet.httpHeaders : [];
  headers.forEach((header: any, i: number) => {
    if (!isMap(header) || typeof header.value !== 'string') return;
    const name = typeof header.name === 'string' ? header.name : '';
    for (const match of findCredentials(header.value, { name })) {
      found.push(message(`${pointer}/httpGet/httpHeaders/${i} (${JSON.stringify(name)})`, match));
    }
  });
}

/** `<where> holds a JDBC password`, with the line or offset of the secret; never the value. */
function message(where: string, match: CredentialMatch): string {
  const what = describeCredentialKind(match.kind);
  if (match.line !== undefined) return `${where} line ${match.line} holds ${what}`;
  return match.offset > 0 ? `${where} holds ${what} (offset ${match.offset})` : `${where} holds ${what}`;
}
