import { PolicyPack } from './pack';

/**
 * The built-in packs by name, the Pod Security ones at the version (e.g. "v1.33"; undefined for the latest):
 * what `cdk8s.yaml` and the `check` command name.
 * @internal
 */
export function packsByName(where: string, what: string, names: string[] | undefined, podSecurityVersion: string | undefined): PolicyPack[] {
  const version = { version: podSecurityVersion };
  const byName = new Map([PolicyPack.baseline(version), PolicyPack.restricted(version), ...PolicyPack.builtIn()]
    .map((pack): [string, PolicyPack] => [pack.name, pack]));
  // builtIn() holds the latest restricted pack: the versioned one must win.
  byName.set('pss-restricted', PolicyPack.restricted(version));
  return (names ?? PolicyPack.defaults().map((p) => p.name)).map((name) => {
    const pack = byName.get(name);
    if (!pack) throw new Error(`${where}: unknown pack ${JSON.stringify(name)} in ${what}; use one of ${[...byName.keys()].join(', ')}`);
    return pack;
  });
}
