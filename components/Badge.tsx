import type { ComponentChildren } from 'preact';
import type { Tone } from '@/lib/view/badges';

export function Badge({ tone, children }: { tone: Tone; children: ComponentChildren }) {
  return <span class={tone === 'grey' ? 'fr-badge' : `fr-badge fr-badge--${tone}`}>{children}</span>;
}
