// A Kubernetes API client for the cluster suite (test/cluster/*.cluster.ts, `npm run test:cluster`): raw HTTPS
// with the kubeconfig's server, certificate authority and credentials (token or client certificate), so that the
// server decodes the bytes a test sends; kubectl for what kubectl does best (apply with discovery).
import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import * as https from 'https';
import { parse } from 'yaml';

interface Connection {
  readonly server: URL;
  readonly agent: https.Agent;
  readonly headers: { [name: string]: string };
}

let connection: Connection | undefined;

/** The first file of $KUBECONFIG: the suite runs against whatever cluster it names (the runner sets it). */
function kubeconfigPath(): string {
  const file = (process.env.KUBECONFIG ?? '').split(':').find((f) => f !== '');
  if (!file) throw new Error('KUBECONFIG is not set: run the suite with `npm run test:cluster` (see README, Tests)');
  return file;
}

function bytesOf(data: string | undefined, file: string | undefined): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  return file ? readFileSync(file) : undefined;
}

function connect(): Connection {
  if (connection) return connection;
  const config = parse(readFileSync(kubeconfigPath(), 'utf8'));
  const context = config.contexts.find((c: any) => c.name === config['current-context'])?.context;
  if (!context) throw new Error(`kubeconfig ${kubeconfigPath()}: no current context`);
  const cluster = config.clusters.find((c: any) => c.name === context.cluster).cluster;
  const user = config.users.find((u: any) => u.name === context.user)?.user ?? {};
  const headers: { [name: string]: string } = {};
  const token = user.token ?? (user.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined);
  if (token) headers.authorization = `Bearer ${token}`;
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 16,
    ca: bytesOf(cluster['certificate-authority-data'], cluster['certificate-authority']),
    cert: bytesOf(user['client-certificate-data'], user['client-certificate']),
    key: bytesOf(user['client-key-data'], user['client-key']),
    rejectUnauthorized: cluster['insecure-skip-tls-verify'] !== true,
  });
  connection = { server: new URL(cluster.server), agent, headers };
  return connection;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: any;
  /** The texts of the response's Warning headers (`299 - "text"`). */
  readonly warnings: string[];
}

/** One request to the API server; the body is sent as given (bytes, or JSON for an object). */
export function request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse> {
  const { server, agent, headers } = connect();
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: server.hostname,
      port: server.port || 443,
      path: `${server.pathname.replace(/\/$/, '')}${path}`,
      method,
      agent,
      headers: { ...headers, accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': contentType }) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const warnings: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i].toLowerCase() !== 'warning') continue;
          const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(res.rawHeaders[i + 1]);
          warnings.push(m ? m[1].replace(/\\(.)/g, '$1') : res.rawHeaders[i + 1]);
        }
        let parsed: any = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: kept as text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
      });
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

const PLURALS: { [kind: string]: string } = {
  Pod: 'pods',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  Service: 'services',
  ServiceAccount: 'serviceaccounts',
  Namespace: 'namespaces',
  PodTemplate: 'podtemplates',
  ReplicationController: 'replicationcontrollers',
  Deployment: 'deployments',
  ReplicaSet: 'replicasets',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  Job: 'jobs',
  CronJob: 'cronjobs',
  ValidatingAdmissionPolicy: 'validatingadmissionpolicies',
  ValidatingAdmissionPolicyBinding: 'validatingadmissionpolicybindings',
  CustomResourceDefinition: 'customresourcedefinitions',
  PriorityClass: 'priorityclasses',
};

/** The collection path of a manifest's kind (namespaced when the manifest names a namespace). */
export function collectionPath(manifest: any, plural?: string): string {
  const resource = plural ?? PLURALS[manifest.kind];
  if (!resource) throw new Error(`no resource known for kind ${manifest.kind}`);
  const apiVersion: string = manifest.apiVersion;
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const namespace = manifest.metadata?.namespace;
  return namespace ? `${base}/namespaces/${namespace}/${resource}` : `${base}/${resource}`;
}

/** Creates the object for real (409, already there, counts as created). */
export async function create(manifest: any): Promise<void> {
  const response = await request('POST', `${collectionPath(manifest)}?fieldValidation=Strict`, manifest);
  if (response.status >= 300 && response.status !== 409) {
    throw new Error(`create ${manifest.kind} ${manifest.metadata?.name}: ${response.status} ${response.body?.message ?? JSON.stringify(response.body)}`);
  }
}

/** A server-side dry run of creating the object, with strict field validation (at its kind's path, or the one given). */
export function dryRunCreate(manifest: any, collection?: string): Promise<ApiResponse> {
  return request('POST', `${collection ?? collectionPath(manifest)}?dryRun=All&fieldValidation=Strict`, manifest);
}

const discovery = new Map<string, Promise<any[]>>();

/** The collection path of any kind the server serves (custom resources too), from its discovery documents. */
export async function discoveredPath(manifest: any): Promise<string> {
  const apiVersion: string = manifest.apiVersion;
  if (!discovery.has(apiVersion)) {
    discovery.set(apiVersion, request('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`)
      .then((r) => (r.status === 200 ? r.body.resources : [])));
  }
  const resource = (await discovery.get(apiVersion)!).find((r: any) => r.kind === manifest.kind && !r.name.includes('/'));
  if (!resource) throw new Error(`the server does not serve ${manifest.kind} of ${apiVersion}`);
  const namespaced = resource.namespaced ? manifest : { ...manifest, metadata: { ...manifest.metadata, namespace: undefined } };
  return collectionPath(namespaced, resource.name);
}

/** Deletes every object of a cluster-scoped kind with the label (best effort). */
export async function deleteLabelled(manifest: { apiVersion: string; kind: string }, selector: string): Promise<void> {
  await request('DELETE', `${collectionPath(manifest)}?labelSelector=${encodeURIComponent(selector)}`);
}

/** A name suffix of this run: deleted namespaces never finish on the bundled server, so every run uses new names. */
export function runSuffix(): string {
  return `${Date.now().toString(36).slice(-5)}${randomBytes(2).toString('hex')}`;
}

/** kubectl with the suite's KUBECONFIG; the result, never a throw. */
export function kubectl(args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const result = spawnSync('kubectl', args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** A namespace that enforces a Pod Security level at a version, with the `default` ServiceAccount (no controller creates it). */
export async function namespaceWith(name: string, labels: { [key: string]: string } = {}, serviceAccounts: string[] = ['default']): Promise<void> {
  await create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  for (const sa of serviceAccounts) await create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: name } });
}

/** PodSecurity labels that enforce (and warn at) a level and version. */
export function podSecurity(level: string, version: string): { [key: string]: string } {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': version,
    'pod-security.kubernetes.io/warn': level,
    'pod-security.kubernetes.io/warn-version': version,
  };
}

/** Runs the tasks, at most `limit` at a time, in order of their results. */
export async function inParallel<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The label of the cluster-scoped objects a run creates (its admission policies), which it deletes at its end. */
export const RUN_LABEL = 'cdk8s-hardened.test/run';

/**
 * Waits until the policies a run created are loaded: a sentinel policy and binding, created after them, deny a
 * ConfigMap named sentinel in the namespace (the server loads policies and bindings in the order they were written).
 */
export async function policiesLoaded(run: string, namespace: string): Promise<void> {
  const name = `sentinel-${run}`;
  await create({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name, labels: { [RUN_LABEL]: run } },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
      validations: [{ expression: "object.metadata.name != 'sentinel'", message: 'sentinel' }],
    },
  });
  await create({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name, labels: { [RUN_LABEL]: run } },
    spec: { policyName: name, validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } } },
  });
  for (let i = 0; i < 300; i++) {
    const response = await dryRunCreate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sentinel', namespace } });
    if (response.status >= 400 && String(response.body?.message).includes(`'${name}'`)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the admission policies were not loaded in 30 s');
}
