import { IApiResource } from 'cdk8s-plus-27';

/** Access to the Kubernetes API, granted to a workload's ServiceAccount in its own namespace. */
export interface ApiGrant {
  /** The verbs: `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`. */
  readonly verbs: string[];

  /**
   * The resources, e.g. `ApiResource.CONFIG_MAPS`, `ApiResource.custom({ apiGroup: 'batch', resourceType: 'jobs' })`, or an
   * object of the app (a cdk8s-plus ConfigMap or Secret), which restricts the grant to that object.
   */
  readonly resources: IApiResource[];

  /**
   * Only these objects (by name) of the resources.
   * @default - the objects the resources name (a ConfigMap or Secret of the app), else every object of the resources in the namespace
   */
  readonly resourceNames?: string[];
}
