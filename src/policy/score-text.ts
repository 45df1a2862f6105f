import type { PackScore } from './report';

/** A pack's score in words: `97.5% (39/40 checks passed, 1 acknowledged)`, or `not applicable (no objects it judges)`. */
export function scoreText(s: PackScore): string {
  if (s.score === undefined) return 'not applicable (no objects it judges)';
  return `${(s.score * 100).toFixed(1)}% (${s.passed}/${s.applicable} checks passed${s.acknowledged ? `, ${s.acknowledged} acknowledged` : ''})`;
}
