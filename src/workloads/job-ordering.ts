/** When a migration job runs relative to the rest of a release. */
export class JobOrdering {
  /**
   * A Helm hook (e.g. "pre-install,pre-upgrade"), recreated before each run.
   * @param hooks the hook events
   * @param weight order among hooks
   */
  public static helmHook(hooks: string = 'pre-install,pre-upgrade', weight: number = -5): JobOrdering {
    return new JobOrdering({
      'helm.sh/hook': hooks,
      'helm.sh/hook-weight': String(weight),
      'helm.sh/hook-delete-policy': 'before-hook-creation',
    });
  }

  /**
   * An Argo CD PreSync hook in a sync wave, so the schema is migrated before the app syncs.
   * @param wave the sync wave
   */
  public static argoCdPreSync(wave: number = -1): JobOrdering {
    return new JobOrdering({
      'argocd.argoproj.io/hook': 'PreSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'argocd.argoproj.io/sync-wave': String(wave),
    });
  }

  private constructor(
    /** The annotations set on the Job. */
    public readonly annotations: { [key: string]: string },
  ) {}
}
