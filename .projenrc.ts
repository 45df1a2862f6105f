import { cdk8s, javascript } from 'projen';

const CDK8S_VERSION = '2.70.106';
const CONSTRUCTS_VERSION = '10.4.5';
const CDK8S_PLUS_VERSION = '2.9.5';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-hardened',
  packageName: 'cdk8s-hardened',
  description:
    'Hardened-by-default cdk8s constructs and a policy engine that checks every synthesized chart against Pod Security Standards restricted and the NSA/CISA hardening guide.',
  license: 'Apache-2.0',
  author: 'cdk8s-hardened maintainers',
  authorAddress: 'maintainers@cdk8s-hardened.dev',
  repositoryUrl: 'https://github.com/cdk8s-hardened/cdk8s-hardened.git',
  keywords: ['cdk8s', 'kubernetes', 'security', 'pod-security-standards', 'hardening', 'policy'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~5.9.0',

  // cdk8s 2.x, not the 1.x that projen resolves by default for this project type.
  cdk8sVersion: CDK8S_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  peerDeps: [`cdk8s-plus-27@^${CDK8S_PLUS_VERSION}`],
  devDeps: [
    `cdk8s-plus-27@${CDK8S_PLUS_VERSION}`,
    'typescript@~5.9.0',
    '@types/node@^20',
    '@swc/core@1.16.22',
    '@swc/jest@0.2.39',
    'fast-check@4.11.0',
    'yaml@2.9.1',
    'cdk8s-cli@2.207.60',
    'kubernetes-models@5.1.0',
    '@kubernetes-models/istio@3.0.1',
    '@kubernetes-models/gateway-api@2.0.0',
    '@kubernetes-models/validate@5.0.2',
  ],

  // No hosted CI or release pipeline: `.ci/run` is the CI contract of this repository.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  jestOptions: {
    // Snapshot tests must be able to fail: never update them in `npm test`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      collectCoverage: false,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
  },
  tsconfigDev: {
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
    compilerOptions: {},
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'scripts', 'projenrc'] },
  gitignore: ['/examples/**/dist/', '/.tmp/'],
});

// Jest transpiles with SWC (no type checking: `typecheck` does that once for src, test, examples).
project.jest!.config.transform = {
  '^.+\\.tsx?$': new javascript.Transform('@swc/jest', {
    jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' },
  }),
};
project.deps.removeDependency('ts-jest');
project.deps.removeDependency('jest-junit');
project.package.file.addDeletionOverride('jest.reporters');

const typecheck = project.addTask('typecheck', {
  description: 'Type-check the library, its tests, examples and benchmarks',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});
project.tasks.tryFind('test')!.prependSpawn(typecheck);

project.addTask('docs:rules', {
  description: 'Regenerate RULES.md from the built-in rules',
  exec: 'ts-node --swc scripts/rules-md.ts',
});

project.addTask('corpus:compare', {
  description: 'Compare our Pod Security Standards rules with ../shared/k8s-check on test/corpus',
  exec: 'ts-node --swc test/corpus/compare-with-checker.ts',
});

project.addTask('bench', {
  description: 'Benchmarks with budgets (pass/fail): see bench/RESULTS.md',
  env: { CDK8S_CHECK_UPGRADE: 'false' },
  exec: 'ts-node --swc bench/policy.bench.ts',
  receiveArgs: true,
});

project.addTask('synth', {
  description: 'Synthesize every example into dist/examples/<name>/',
  env: { CDK8S_CHECK_UPGRADE: 'false' },
  exec: 'ts-node --swc examples/synth.ts',
  receiveArgs: true,
});

for (const ignored of ['/examples/', '/bench/', '/scripts/', '/.ci/']) {
  project.addPackageIgnore(ignored);
}

project.synth();
