/** Rails form markup: `button_to` forms and the per-form masked `authenticity_token`. */
import { maskedToken, type Session } from '../http/session';
import { html, type SafeHtml } from './html';

export function tokenInput(session: Session): SafeHtml {
  return html`<input type="hidden" name="authenticity_token" value="${maskedToken(session)}" autocomplete="off">`;
}

export interface ButtonTo {
  action: string;
  method?: 'post' | 'patch' | 'delete';
  className: string;
  label: string;
  title?: string;
  /** `form: { data: { turbo: … } }`: rendered before the class, as Rails orders it. */
  turbo?: boolean;
}

/** `button_to`: a one-button form, with a `_method` field for PATCH and DELETE. */
export function buttonTo(session: Session, b: ButtonTo): SafeHtml {
  const turbo = b.turbo === undefined ? '' : html`data-turbo="${String(b.turbo)}" `;
  const method =
    b.method && b.method !== 'post'
      ? html`<input type="hidden" name="_method" value="${b.method}" autocomplete="off">`
      : '';
  const title = b.title ? html` title="${b.title}"` : '';
  return html`<form ${turbo}class="button_to" method="post" action="${b.action}">${method}<button class="${b.className}"${title} type="submit">${b.label}</button>${tokenInput(session)}</form>`;
}
