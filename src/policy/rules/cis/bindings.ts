// Reading the subjects and role reference of RoleBindings and ClusterRoleBindings.

/** A subject of a binding as written: kind (User, Group, ServiceAccount), name and, for service accounts, namespace. */
export interface BindingSubject {
  /** `User`, `Group` or `ServiceAccount` (anything else is rejected by the API server). */
  readonly kind: string;
  /** The user, group or service account name. */
  readonly name: string;
  /**
   * Namespace of a service account.
   * @default - none
   */
  readonly namespace?: string;
}

/** Whether the object is a RoleBinding or a ClusterRoleBinding. */
export function isBinding(kind: string): boolean {
  return kind === 'RoleBinding' || kind === 'ClusterRoleBinding';
}

/** The well-formed subjects of a binding manifest (entries that are not objects with string kind and name are skipped). */
export function subjectsOf(manifest: any): BindingSubject[] {
  const subjects = manifest?.subjects;
  if (!Array.isArray(subjects)) return [];
  return subjects.filter((s: any) => s && typeof s.kind === 'string' && typeof s.name === 'string')
    .map((s: any) => ({ kind: s.kind, name: s.name, namespace: typeof s.namespace === 'string' ? s.namespace : undefined }));
}

/** The prefix of a service account's user name, `system:serviceaccount:<namespace>:<name>` (serviceaccount.MakeUsername upstream). */
const SERVICE_ACCOUNT_USER = 'system:serviceaccount:';
/** The group of every service account; `system:serviceaccounts:<namespace>` is the group of those of one namespace. */
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

/**
 * The service account a subject names: a `ServiceAccount` subject (without a namespace: the binding's), or a `User`
 * subject named by the service account's user name, which the RBAC authorizer matches like the ServiceAccount
 * (`appliesToUser` compares user names).
 */
export function serviceAccountOf(subject: BindingSubject, bindingNamespace: string | undefined): { namespace?: string; name: string } | undefined {
  if (subject.kind === 'ServiceAccount') return { namespace: subject.namespace ?? bindingNamespace, name: subject.name };
  if (subject.kind !== 'User' || !subject.name.startsWith(SERVICE_ACCOUNT_USER)) return undefined;
  const [namespace, name, ...rest] = subject.name.slice(SERVICE_ACCOUNT_USER.length).split(':');
  return namespace && name && rest.length === 0 ? { namespace, name } : undefined;
}

/** Whether pods can act as the subject: a service account (as `serviceAccountOf` reads it), or a group of service accounts. */
export function isServiceAccountSubject(subject: BindingSubject): boolean {
  if (subject.kind === 'Group') return subject.name === SERVICE_ACCOUNTS_GROUP || subject.name.startsWith(`${SERVICE_ACCOUNTS_GROUP}:`);
  return subject.kind === 'ServiceAccount' || (subject.kind === 'User' && subject.name.startsWith(SERVICE_ACCOUNT_USER));
}

/** `User alice`, `Group ops`, `ServiceAccount shop/deployer`. */
export function describeSubject(subject: BindingSubject): string {
  return subject.kind === 'ServiceAccount' && subject.namespace ? `ServiceAccount ${subject.namespace}/${subject.name}` : `${subject.kind} ${subject.name}`;
}
