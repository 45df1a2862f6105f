// Strict Kubernetes schema validation for tests: reads a JSON array of manifests on stdin and prints
// a JSON array of findings. The validators are the precompiled OpenAPI schemas of kubernetes-models
// (core), @kubernetes-models/istio and @kubernetes-models/gateway-api. They check types, enums,
// required fields and formats but ignore unknown fields, so each object is validated through a Proxy
// that records which properties the schema looked at: a property never looked at, in an object that
// the schema did look into without enumerating it (as it does for maps like labels), is unknown.
// kubernetes-models is ESM-only, which is why this runs as a separate Node process.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runValidateFunc } from '@kubernetes-models/validate';

const require = createRequire(import.meta.url);
const PACKAGES = ['kubernetes-models', '@kubernetes-models/istio', '@kubernetes-models/gateway-api'];
const packageRoot = (name) => dirname(require.resolve(`${name}/package.json`, { paths: [process.cwd()] }));
// The generator leaves these names out of its validators; they are valid wherever they appear.
const NEVER_READ_BY_VALIDATOR = /^(description$|x-kubernetes-)/;

async function validatorFor(apiVersion, kind) {
  for (const name of PACKAGES) {
    const root = packageRoot(name);
    const file = join(root, ...apiVersion.split('/'), `${kind}.js`);
    if (!existsSync(file)) continue;
    const model = (await import(pathToFileURL(file).href))[kind];
    const schema = /_schemas\/([A-Za-z0-9]+)\.js/.exec(readFileSync(file, 'utf8'));
    if (model?.apiVersion !== apiVersion || model?.kind !== kind || !schema) continue;
    const { validate } = await import(pathToFileURL(join(root, '_schemas', `${schema[1]}.js`)).href);
    return (data) => runValidateFunc(validate, data);
  }
  return undefined;
}

function watch(root) {
  const visits = [];
  const wrap = (value, path) => {
    if (value === null || typeof value !== 'object') return value;
    const visit = { value, path, read: new Set(), enumerated: false };
    visits.push(visit);
    return new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string') visit.read.add(key);
        const child = Reflect.get(target, key, receiver);
        return typeof key === 'string' && Object.hasOwn(target, key) ? wrap(child, [...path, key]) : child;
      },
      has(target, key) {
        if (typeof key === 'string') visit.read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        visit.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  return { proxy: wrap(root, []), visits };
}

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => (text += chunk));
  process.stdin.on('end', () => resolve(text));
}));

const findings = [];
for (const manifest of input) {
  const id = `${manifest.kind}/${manifest.metadata?.name}`;
  const validate = await validatorFor(manifest.apiVersion, manifest.kind);
  if (!validate) {
    findings.push({ object: id, path: '/', message: `no schema for ${manifest.apiVersion} ${manifest.kind}` });
    continue;
  }
  const { proxy, visits } = watch(structuredClone(manifest));
  try {
    validate(proxy);
  } catch (error) {
    for (const e of error.errors ?? [{ instancePath: '/', message: error.message }]) {
      findings.push({ object: id, path: e.instancePath || '/', message: e.message });
    }
  }
  for (const visit of visits) {
    if (Array.isArray(visit.value) || visit.enumerated || visit.read.size === 0) continue;
    for (const key of Object.keys(visit.value)) {
      if (!visit.read.has(key) && !NEVER_READ_BY_VALIDATOR.test(key)) {
        findings.push({ object: id, path: `/${[...visit.path, key].join('/')}`, message: 'unknown field' });
      }
    }
  }
}
process.stdout.write(JSON.stringify(findings));
