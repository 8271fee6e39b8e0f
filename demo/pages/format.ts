/** DS's view helpers the pages share: state badges, notification badges, numbers, truncation. */
import type { DossierState } from '../data/model';
import type { Badge } from '../rules/statuts';
import { html, raw, type SafeHtml } from './html';

const STATE_LABELS: Record<DossierState, string> = {
  en_construction: 'en construction',
  en_instruction: 'en instruction',
  accepte: 'accepté',
  refuse: 'refusé',
  sans_suite: 'classé sans suite',
};

const STATE_CLASSES: Record<DossierState, string> = {
  en_construction: 'fr-badge--no-icon fr-badge--purple-glycine',
  en_instruction: 'fr-badge--no-icon fr-badge--new',
  accepte: 'fr-badge--success',
  refuse: 'fr-badge--no-icon fr-badge--warning',
  sans_suite: 'fr-badge--no-icon fr-badge--warning',
};

/** `dossier_display_state(state, lower: true)`. */
export const stateLabel = (state: DossierState): string => STATE_LABELS[state];

/** `DossierHelper#status_badge`. */
export function stateBadge(state: DossierState): SafeHtml {
  return html`<span class="fr-badge fr-badge--sm ${STATE_CLASSES[state]}">${STATE_LABELS[state]}</span>`;
}

/** `DossierHelper#tag_notification`. */
export function notificationBadge(badge: Badge): SafeHtml {
  const tone = badge.tone === 'plain' ? '' : ` fr-badge--${badge.tone}`;
  return html`<span class="fr-badge fr-badge--sm${tone}">${badge.text}</span>`;
}

/** `number_with_html_delimiter`: 1208 → `1<span class="numbers-delimiter"></span>208`. */
export function numberWithHtmlDelimiter(value: number): SafeHtml {
  return raw(String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '<span class="numbers-delimiter"></span>'));
}

/** Rails' `String#truncate(length)`: cut with "..." counted in the length. */
export const truncate = (text: string, length: number): string =>
  text.length > length ? `${text.slice(0, length - 3)}...` : text;
