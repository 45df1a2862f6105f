/**
 * cdk8s-plus-27, loaded where the library first needs one of its values (a LabelSelector, an `instanceof` check, a
 * JSON conversion). Its types are imported everywhere; its module (~50 ms to load) only when an app works with its
 * objects, which then has loaded it already. test/package/module-formats.test.ts checks that reading and building a
 * SecureDeployment does not load it.
 */
export function cdk8sPlus(): typeof import('cdk8s-plus-27') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('cdk8s-plus-27');
}
