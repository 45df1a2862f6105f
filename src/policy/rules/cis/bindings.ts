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

/** `User alice`, `Group ops`, `ServiceAccount shop/deployer`. */
export function describeSubject(subject: BindingSubject): string {
  return subject.kind === 'ServiceAccount' && subject.namespace ? `ServiceAccount ${subject.namespace}/${subject.name}` : `${subject.kind} ${subject.name}`;
}
