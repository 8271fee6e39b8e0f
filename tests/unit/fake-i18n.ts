import { fakeBrowser } from 'wxt/testing/fake-browser';
import en from '../../public/_locales/en/messages.json';
import fr from '../../public/_locales/fr/messages.json';

/**
 * WXT's fake browser has no i18n: this one reads the real `_locales` files with Chrome's rules
 * (named placeholders mapping to $1…$9), French by default like the extension.
 */
type Catalogue = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const catalogues: Record<string, Catalogue> = { fr, en };
let uiLanguage = 'fr';

export function setUiLanguage(language: 'fr' | 'en'): void {
  uiLanguage = language;
}

export function getMessage(key: string, substitutions?: string | string[]): string {
  const entry = catalogues[uiLanguage]?.[key] ?? catalogues.fr?.[key];
  if (!entry) return '';
  const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  const positional = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, name: string) => {
    const placeholder = entry.placeholders?.[name.toLowerCase()];
    return placeholder ? positional(placeholder.content) : '';
  });
}

export function installFakeI18n(): void {
  uiLanguage = 'fr';
  Object.assign(fakeBrowser.i18n, {
    getMessage,
    getUILanguage: () => uiLanguage,
  });
}
