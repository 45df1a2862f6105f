/** A PriorityClass that pods can name: one defined in the app (PriorityClass) or declared (Prerequisite.priorityClass). */
export interface IPriorityClass {
  /** The name pods give as `priorityClassName`. */
  readonly priorityClassName: string;
}
