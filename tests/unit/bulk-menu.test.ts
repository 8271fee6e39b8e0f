import { afterEach, describe, expect, it } from 'vitest';
import { locale } from '@/lib/platform/i18n';
import { archiveMenuTexts } from '@/lib/view/bulk-menu';

afterEach(() => {
  locale.value = 'fr';
});

describe('archiveMenuTexts', () => {
  it('offers the previous and the current month, named, with the menu’s words', () => {
    expect(archiveMenuTexts(new Date('2026-11-23T10:00:00+01:00'))).toEqual({
      archive: 'Archiver (ZIP)',
      'archive-tab': 'Cet onglet',
      'archive-demarche': 'Toute la démarche',
      'archive-opened': 'L’archive s’est ouverte dans un nouvel onglet.',
      archiveMonths: [
        { month: '2026-10', label: 'Les dossiers traités en octobre 2026' },
        { month: '2026-11', label: 'Les dossiers traités en novembre 2026' },
      ],
    });
  });

  it('counts months in Paris time, across a year and from a month’s last day', () => {
    const months = (at: string) => archiveMenuTexts(new Date(at)).archiveMonths.map(({ month }) => month);
    // Still 31 December in UTC, already 1 January in Paris.
    expect(months('2025-12-31T23:30:00Z')).toEqual(['2025-12', '2026-01']);
    expect(months('2026-01-31T23:30:00Z')).toEqual(['2026-01', '2026-02']);
    // 31 March: the previous month is February, whatever its length.
    expect(months('2026-03-31T12:00:00+02:00')).toEqual(['2026-02', '2026-03']);
  });

  it('speaks the options’ language', () => {
    locale.value = 'en';
    const texts = archiveMenuTexts(new Date('2026-01-10T10:00:00+01:00'));
    expect(texts.archive).toBe('Archive (ZIP)');
    expect(texts.archiveMonths.map(({ label }) => label)).toEqual([
      'Dossiers processed in December 2025',
      'Dossiers processed in January 2026',
    ]);
  });
});
