// An offline stand-in for the API server's ValidatingAdmissionPolicy evaluation, over @marcbachmann/cel-js
// (a CEL implementation with optional types). It binds `object`, `oldObject` and `request` as the API
// server does for a request, evaluates the match conditions and the variables (lazily, as the server
// does), then every validation on its own (with Deny the server stops at the first failure; here each
// is reported). An evaluation error counts as a denial (failurePolicy: Fail) and is reported apart, so
// that a guard bug cannot pass for a verdict.
import { RE2JS } from 're2js';

/** What the tests use of @marcbachmann/cel-js's Environment. */
export interface CelEnvironment {
  registerVariable(name: string, type: string): CelEnvironment;
  parse(expression: string): (context: any) => any;
}

// An ES module: Jest's transform turns it into CommonJS, but tsc cannot type a require of it, so it is typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Environment } = require('@marcbachmann/cel-js') as { Environment: new (options: object) => CelEnvironment };

/** A CEL environment as the Kubernetes API server configures it (optional types, homogeneous literals), with the variables as dyn. */
export function celEnvironment(variables: { [name: string]: string }): CelEnvironment {
  const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: true });
  for (const [name, type] of Object.entries(variables)) env.registerVariable(name, type);
  return env;
}

const RESOURCES: { [kind: string]: { group: string; resource: string } } = {
  Pod: { group: '', resource: 'pods' },
  PodTemplate: { group: '', resource: 'podtemplates' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
  Service: { group: '', resource: 'services' },
  Deployment: { group: 'apps', resource: 'deployments' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  Job: { group: 'batch', resource: 'jobs' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
};

/**
 * The functions and macros the generated CEL may call: CEL's standard ones, optional types and the
 * Kubernetes strings library (`join`, `lowerAscii`), all available from Kubernetes 1.30 (VAP v1 GA).
 */
export const ALLOWED_FUNCTIONS = new Set([
  'all', 'exists', 'exists_one', 'map', 'filter', 'has', 'size', 'matches', 'startsWith', 'endsWith', 'contains', 'dyn', 'string', 'int',
  'orValue', 'hasValue', 'join', 'lowerAscii',
]);

export interface Verdict {
  /** Whether the policy applies to the request (its match conditions hold). */
  readonly matched: boolean;
  /** The messages of the validations that failed. */
  readonly failures: string[];
  /** Evaluation errors (each also a failure). */
  readonly errors: string[];
}

export interface RequestOptions {
  readonly operation?: 'CREATE' | 'UPDATE';
  readonly oldObject?: any;
}

/** The manifest as the API server hands it to CEL: integers as CEL ints, JSON nulls as absent fields. */
function celValue(manifest: any): any {
  return JSON.parse(JSON.stringify(manifest), (_, v) => (v === null ? undefined : Number.isInteger(v) ? BigInt(v) : v));
}

/** The API resource of a manifest's kind (the request's `resource`), or undefined for a kind the harness does not know. */
export function resourceOf(kind: string): { group: string; resource: string } | undefined {
  return RESOURCES[kind];
}

/** Evaluates ValidatingAdmissionPolicy specs offline; compiled expressions are kept per evaluator. */
export class AdmissionEvaluator {
  private readonly env = celEnvironment({ object: 'dyn', oldObject: 'dyn', request: 'dyn', variables: 'dyn' });
  private readonly compiled = new Map<string, (context: any) => any>();

  /** Whether the policy's matchConstraints cover the manifest's kind. */
  public covers(policySpec: any, manifest: any): boolean {
    const resource = RESOURCES[manifest.kind];
    if (!resource) return false;
    return policySpec.matchConstraints.resourceRules
      .some((r: any) => r.apiGroups.includes(resource.group) && r.resources.includes(resource.resource));
  }

  /** The verdict of one policy on a request for the manifest. */
  public evaluate(policySpec: any, manifest: any, options: RequestOptions = {}): Verdict {
    const resource = RESOURCES[manifest.kind];
    if (!resource) throw new Error(`no resource known for kind ${manifest.kind}`);
    const request = {
      kind: { group: resource.group, version: 'v1', kind: manifest.kind },
      resource: { group: resource.group, version: 'v1', resource: resource.resource },
      operation: options.operation ?? 'CREATE',
      name: manifest.metadata?.name ?? '',
      namespace: manifest.metadata?.namespace ?? 'shop',
    };
    const context: any = { object: celValue(manifest), oldObject: options.oldObject ? celValue(options.oldObject) : null, request };
    for (const condition of policySpec.matchConditions ?? []) {
      if (this.run(condition.expression, context) !== true) return { matched: false, failures: [], errors: [] };
    }
    context.variables = this.lazyVariables(policySpec.variables ?? [], context);
    const failures: string[] = [];
    const errors: string[] = [];
    for (const validation of policySpec.validations) {
      let result: unknown;
      try {
        result = this.run(validation.expression, context);
      } catch (e) {
        errors.push(`${validation.message}: ${(e as Error).message.split('\n')[0]}`);
        failures.push(validation.message);
        continue;
      }
      if (typeof result !== 'boolean') throw new Error(`${validation.expression} returned ${typeof result}, not a bool`);
      if (!result) failures.push(this.message(validation, context));
    }
    return { matched: true, failures, errors };
  }

  /** Every CEL expression of a policy: a parse error, a function outside ALLOWED_FUNCTIONS or a regex RE2 refuses is a problem. */
  public problems(policySpec: any): string[] {
    const expressions: string[] = [
      ...(policySpec.matchConditions ?? []).map((c: any) => c.expression),
      ...(policySpec.variables ?? []).map((v: any) => v.expression),
      ...policySpec.validations.flatMap((v: any) => [v.expression, v.messageExpression].filter(Boolean)),
    ];
    const problems: string[] = [];
    for (const expression of expressions) {
      try {
        this.compile(expression);
      } catch (e) {
        problems.push(`${expression}: ${(e as Error).message.split('\n')[0]}`);
      }
      const code = expression.replace(/'(?:[^'\\]|\\.)*'/g, "''");
      for (const call of code.matchAll(/([A-Za-z_]\w*)\s*\(/g)) {
        if (!ALLOWED_FUNCTIONS.has(call[1])) problems.push(`${expression}: calls ${call[1]}(), which the generated CEL may not use`);
      }
      for (const literal of expression.matchAll(/\.matches\('((?:[^'\\]|\\.)*)'\)/g)) {
        const regex = literal[1].replace(/\\(.)/g, '$1');
        try {
          RE2JS.compile(regex);
        } catch (e) {
          problems.push(`${expression}: RE2 refuses ${regex}: ${(e as Error).message}`);
        }
      }
    }
    return problems;
  }

  private message(validation: any, context: any): string {
    if (!validation.messageExpression) return validation.message;
    try {
      const text = this.run(validation.messageExpression, context);
      return typeof text === 'string' && !/[\r\n]/.test(text) ? text : validation.message;
    } catch {
      return validation.message; // the API server falls back to the static message too
    }
  }

  private lazyVariables(variables: Array<{ name: string; expression: string }>, context: any): any {
    const values: any = {};
    for (const variable of variables) {
      let cached: { value?: unknown; error?: Error } | undefined;
      Object.defineProperty(values, variable.name, {
        enumerable: true,
        get: () => {
          if (!cached) {
            try {
              cached = { value: this.run(variable.expression, context) };
            } catch (e) {
              cached = { error: e as Error };
            }
          }
          if (cached.error) throw cached.error;
          return cached.value;
        },
      });
    }
    return values;
  }

  private run(expression: string, context: any): unknown {
    return this.compile(expression)(context);
  }

  private compile(expression: string): (context: any) => any {
    let evaluate = this.compiled.get(expression);
    if (!evaluate) {
      evaluate = this.env.parse(expression);
      this.compiled.set(expression, evaluate);
    }
    return evaluate;
  }
}

/**
 * The field names that a CEL expression selects (`x.f`, `x.?f`, `has(x.f)`), string literals and method
 * calls left out. A misspelt field behind `?.` reads as unset instead of failing: every selected name must
 * be a field of some Kubernetes type (see kubernetesFieldNames) or a name the policy itself defines.
 */
export function selectedFields(expression: string): string[] {
  const code = expression.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  return [...code.matchAll(/\.\??([A-Za-z_]\w*)\b(?!\s*\()/g)].map((m) => m[1]);
}

/** Every property name of the Kubernetes types of core/v1, apps/v1, batch/v1 and meta/v1 (from kubernetes-models' type declarations). */
export function kubernetesFieldNames(): Set<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readdirSync, readFileSync } = require('fs') as typeof import('fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require('path') as typeof import('path');
  const modules = path.join(__dirname, '..', '..', 'node_modules');
  const dirs = ['kubernetes-models/v1', 'kubernetes-models/apps/v1', 'kubernetes-models/batch/v1', '@kubernetes-models/apimachinery/apis/meta/v1'];
  const names = new Set<string>();
  for (const dir of dirs.map((d) => path.join(modules, d))) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.d.ts'))) {
      for (const m of readFileSync(path.join(dir, file), 'utf8').matchAll(/^\s+"?([A-Za-z_]\w*)"?\??:/gm)) names.add(m[1]);
    }
  }
  return names;
}

/**
 * The deepest nesting of comprehensions (all, exists, exists_one, map, filter) in an expression: the API
 * server's cost estimate multiplies list sizes along a nesting, and built-in lists have no maxItems.
 */
export function comprehensionDepth(expression: string): number {
  const code = expression.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  const stack: boolean[] = [];
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    if (code[i] === '(') {
      stack.push(/\.(all|exists|exists_one|map|filter)\s*$/.test(code.slice(0, i)));
      depth = Math.max(depth, stack.filter(Boolean).length);
    } else if (code[i] === ')') {
      stack.pop();
    }
  }
  return depth;
}
