import type { ComponentChildren } from 'preact';
import type { ProblemText } from '@/lib/view/status';

/** A failed sync or token test: what happened, how to fix it, and the button that fixes it. */
export function ProblemAlert({ problem, children }: { problem: ProblemText; children?: ComponentChildren }) {
  return (
    <div class="fr-alert fr-alert--error" data-problem={problem.code}>
      <p class="fr-alert__title">{problem.message}</p>
      <p>{problem.fix}</p>
      {children && <div class="fr-btns-group">{children}</div>}
    </div>
  );
}
