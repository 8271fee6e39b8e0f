import { afterEach, describe, expect, it } from 'vitest';
import { browser } from 'wxt/browser';
import { formatAgo, formatDate, formatDayMonth, initI18n, locale, resolveLocale, t } from '@/lib/platform/i18n';
import { updateSettings } from '@/lib/platform/settings';
import en from '@/public/_locales/en/messages.json';
import fr from '@/public/_locales/fr/messages.json';
import { setUiLanguage } from './fake-i18n';

afterEach(() => {
  locale.value = 'fr';
});

describe('messages', () => {
  it('has every key in French and in English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
  });

  it('uses Chrome’s key syntax and declares every named placeholder', () => {
    for (const catalogue of [fr, en] as Record<string, { message: string; placeholders?: object }>[]) {
      for (const [key, entry] of Object.entries(catalogue)) {
        expect(key).toMatch(/^[A-Za-z0-9_@]+$/);
        const named = [...entry.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((m) => m[1]!.toLowerCase());
        expect(Object.keys(entry.placeholders ?? {}).sort(), key).toEqual([...new Set(named)].sort());
      }
    }
  });
});

describe('t', () => {
  it('speaks French by default and fills placeholders in order', () => {
    expect(t('options_save')).toBe('Enregistrer');
    expect(t('options_token_saved', 'demarche.numerique.gouv.fr', '••••••••1a2b')).toBe(
      'Jeton enregistré pour demarche.numerique.gouv.fr (••••••••1a2b).',
    );
    expect(t('popup_chart_summary', 4, 3)).toBe(
      '4 dossiers supprimés dans les 13 prochaines semaines, dont 3 non sauvegardés.',
    );
  });

  it('reads the same placeholders as browser.i18n (the lead’s notification strings)', () => {
    expect(t('notify_expiryOne', 1, 30, '23/12/2026')).toBe(
      browser.i18n.getMessage('notify_expiryOne', ['1', '30', '23/12/2026']),
    );
  });

  it('switches language through the locale signal', () => {
    locale.value = 'en';
    expect(t('options_save')).toBe('Save');
    expect(t('common_days_left', 12)).toBe('D-12');
    locale.value = 'fr';
    expect(t('common_days_left', 12)).toBe('J-12');
  });
});

describe('language setting', () => {
  it('follows the browser in auto, French unless the browser is in English', () => {
    expect(resolveLocale('auto', 'fr-FR')).toBe('fr');
    expect(resolveLocale('auto', 'en-US')).toBe('en');
    expect(resolveLocale('auto', 'de')).toBe('fr');
    expect(resolveLocale('en', 'fr-FR')).toBe('en');
    expect(resolveLocale('fr', 'en-GB')).toBe('fr');
  });

  it('applies the stored setting at start-up and every change after', async () => {
    setUiLanguage('en');
    await initI18n();
    expect(locale.value).toBe('en');
    await updateSettings({ language: 'fr' });
    await expect.poll(() => locale.value).toBe('fr');
    await updateSettings({ language: 'auto' });
    await expect.poll(() => locale.value).toBe('en');
  });
});

describe('dates', () => {
  it('formats the Paris calendar date, DS’s', () => {
    const lateEvening = new Date('2026-12-04T23:30:00Z'); // 00:30 on 5 December in Paris
    expect(formatDate(lateEvening)).toBe('05/12/2026');
    expect(formatDayMonth(lateEvening)).toBe('05/12');
  });

  it('says how long ago, in the UI language', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    expect(formatAgo(new Date('2026-11-23T09:55:00Z'), now)).toBe('il y a 5 minutes');
    expect(formatAgo(new Date('2026-11-23T07:00:00Z'), now)).toBe('il y a 3 heures');
    expect(formatAgo(new Date('2026-11-22T10:00:00Z'), now)).toBe('hier');
    expect(formatAgo(new Date('2026-11-23T09:59:50Z'), now)).toBe('à l’instant');
    locale.value = 'en';
    expect(formatAgo(new Date('2026-11-23T09:55:00Z'), now)).toBe('5 minutes ago');
  });
});
