import { inputError, quote } from '../../core/errors';
import { checkInteger, checkString, INT32_MAX } from '../../core/prop-checks';

/**
 * Helm's hook events (https://helm.sh/docs/topics/charts_hooks/#the-available-hooks). `crd-install` was
 * removed in Helm 3; anything else is ignored by Helm, which would apply the object as a plain release
 * resource instead of a hook.
 */
const HELM_HOOK_EVENTS = new Set([
  'pre-install', 'post-install', 'pre-delete', 'post-delete', 'pre-upgrade', 'post-upgrade', 'pre-rollback', 'post-rollback', 'test',
]);

/** The lowest weight or wave: the prerequisites sort one below the job, which must stay an int32 too. */
const MIN_ORDER = -INT32_MAX;

/**
 * When a migration job runs relative to the rest of a release, and the order of the objects it needs.
 *
 * The job's prerequisites (its migrations ConfigMap and its NetworkPolicy) join the job's hook phase one
 * weight (Helm) or sync wave (Argo CD) lower, so they exist before the job is created:
 * - Helm sorts the hooks of an event by weight and creates them one after another, lowest first, waiting
 *   for each to be ready (a Job until it completes, any other kind as soon as it is created);
 * - Argo CD applies the hooks of a phase wave by wave, lowest first, and moves on to the next wave only
 *   when every resource of the previous one is synced and healthy.
 */
export class JobOrdering {
  /**
   * A Helm hook (e.g. "pre-install,pre-upgrade"), recreated before each run. The prerequisites are hooks of
   * the same events with `weight - 1`.
   * @param hooks the hook events, comma separated: pre-install, post-install, pre-upgrade, post-upgrade,
   *   pre-rollback, post-rollback, pre-delete, post-delete, test
   * @param weight order among hooks (an integer)
   */
  public static helmHook(hooks: string = 'pre-install,pre-upgrade', weight: number = -5): JobOrdering {
    return new JobOrdering((where, prerequisite) => {
      const events = helmEvents(where, hooks);
      const own = checkInteger(where, 'the Helm hook weight (JobOrdering.helmHook)', weight, { min: MIN_ORDER, hint: `use a whole number from ${MIN_ORDER} to ${INT32_MAX}` });
      return {
        'helm.sh/hook': events,
        'helm.sh/hook-weight': String(prerequisite ? own - 1 : own),
        'helm.sh/hook-delete-policy': 'before-hook-creation',
      };
    }, (where) => helmEvents(where, hooks).split(',').includes('pre-install'));
  }

  /**
   * An Argo CD PreSync hook in a sync wave, so the schema is migrated before the app syncs. The
   * prerequisites are PreSync hooks in `wave - 1`.
   * @param wave the sync wave (an integer)
   */
  public static argoCdPreSync(wave: number = -1): JobOrdering {
    return JobOrdering.argoCdHook('PreSync', wave, 'argoCdPreSync', true);
  }

  /**
   * An Argo CD Sync hook in a sync wave after the objects of lower waves are healthy: the way to migrate a database
   * the app itself runs (a PostgresDatabase in wave 0, the default), which a PreSync hook would run before. Put the
   * workloads that need the new schema in a later wave (`argocd.argoproj.io/sync-wave`). The prerequisites are Sync
   * hooks in `wave - 1`.
   * @param wave the sync wave (an integer)
   */
  public static argoCdSync(wave: number = 1): JobOrdering {
    return JobOrdering.argoCdHook('Sync', wave, 'argoCdSync', false);
  }

  /**
   * An Argo CD PostSync hook: it runs once every resource of the sync is synced and healthy (the new version's pods
   * ready), and a failure fails the sync — the gate for tests of a preview before it is promoted. The prerequisites are
   * PostSync hooks in `wave - 1`.
   * @param wave the sync wave (an integer)
   */
  public static argoCdPostSync(wave: number = 0): JobOrdering {
    return JobOrdering.argoCdHook('PostSync', wave, 'argoCdPostSync', false);
  }

  /** An Argo CD hook of a phase in a wave; its prerequisites are hooks of the phase one wave lower. */
  private static argoCdHook(phase: string, wave: number, factory: string, beforeInstall: boolean): JobOrdering {
    return new JobOrdering((where, prerequisite) => {
      const own = checkInteger(where, `the Argo CD sync wave (JobOrdering.${factory})`, wave, { min: MIN_ORDER, hint: `use a whole number from ${MIN_ORDER} to ${INT32_MAX}` });
      return {
        'argocd.argoproj.io/hook': phase,
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        'argocd.argoproj.io/sync-wave': String(prerequisite ? own - 1 : own),
      };
    }, () => beforeInstall);
  }

  private constructor(
    private readonly render: (where: string, prerequisite: boolean) => { [key: string]: string },
    private readonly beforeInstall: (where: string) => boolean,
  ) {}

  /**
   * Whether the job runs before the release's ordinary resources exist on a first install (a PreSync or pre-install
   * hook): it cannot then use a database the same release creates.
   * @internal
   */
  public _runsBeforeInstall(where: string): boolean {
    return this.beforeInstall(where);
  }

  /**
   * The annotations of the job.
   * @internal
   */
  public _jobAnnotations(where: string): { [key: string]: string } {
    return this.render(where, false);
  }

  /**
   * The annotations of what the job needs (its ConfigMap, NetworkPolicy, ServiceAccount): the same hook
   * phase, ordered before the job.
   * @internal
   */
  public _prerequisiteAnnotations(where: string): { [key: string]: string } {
    return this.render(where, true);
  }
}

/** Checks Helm hook events and returns them as Helm reads them (comma separated, blanks trimmed). */
function helmEvents(where: string, hooks: unknown): string {
  const text = checkString(where, 'the Helm hook events (JobOrdering.helmHook)', hooks);
  const events = text.split(',').map((e) => e.trim());
  const fix = `name one or more of ${[...HELM_HOOK_EVENTS].join(', ')}, comma separated, e.g. "pre-install,pre-upgrade"`;
  for (const event of events) {
    if (!HELM_HOOK_EVENTS.has(event)) {
      throw inputError(where, `Helm hook event ${quote(event)} (in JobOrdering.helmHook(${quote(text)})) is not one Helm knows, so Helm would not run the job as a hook`, fix);
    }
  }
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event)) throw inputError(where, `Helm hook event ${quote(event)} is listed twice in JobOrdering.helmHook(${quote(text)})`, 'list each event once');
    seen.add(event);
  }
  return events.join(',');
}
