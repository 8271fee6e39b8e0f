import { describe, expect, it } from 'vitest';
import { checkArchiveSelection } from '@/lib/core/sync/check-report';

const DN = 'https://demarche.numerique.gouv.fr';
const OTHER = 'https://demarches.adullact.org';

/** What the banner, the menu and the popup send. */
const VALID = [
  { kind: 'at-risk', origin: DN, demarche: 104532 },
  { kind: 'tab', origin: DN, demarche: 104532, statut: 'traites' },
  { kind: 'month', origin: DN, demarche: 104532, month: '2026-10' },
  { kind: 'demarche', origin: DN, demarche: 104532 },
] as const;

describe('checkArchiveSelection', () => {
  it('accepts what a DS page of the same instance sends, unchanged', () => {
    for (const selection of VALID) {
      const checked = checkArchiveSelection(structuredClone(selection), DN);
      expect(checked, selection.kind).toEqual(selection);
    }
    expect(checkArchiveSelection({ kind: 'at-risk', origin: DN }, DN)).toEqual({ kind: 'at-risk', origin: DN });
  });

  it('refuses a DS page asking for another instance, every instance, or without knowing its own origin', () => {
    for (const selection of VALID) {
      expect(checkArchiveSelection({ ...selection, origin: OTHER }, DN), selection.kind).toBeNull();
      expect(checkArchiveSelection(selection, null), selection.kind).toBeNull();
    }
    expect(checkArchiveSelection({ kind: 'at-risk' }, DN)).toBeNull();
  });

  it('lets the extension’s own pages ask for every instance, or any one', () => {
    expect(checkArchiveSelection({ kind: 'at-risk' }, null, true)).toEqual({ kind: 'at-risk' });
    expect(checkArchiveSelection({ kind: 'demarche', origin: OTHER, demarche: 3 }, null, true)).toEqual({
      kind: 'demarche',
      origin: OTHER,
      demarche: 3,
    });
    // Still well-formed: a démarche number means nothing without its instance.
    expect(checkArchiveSelection({ kind: 'at-risk', demarche: 3 }, null, true)).toBeNull();
    expect(checkArchiveSelection({ kind: 'tab', origin: OTHER, demarche: 3 }, null, true)).toBeNull();
  });

  it('refuses anything that is not a selection', () => {
    for (const value of [null, undefined, 'at-risk', 42, [], [VALID[0]], {}, { kind: 'everything', origin: DN }]) {
      expect(checkArchiveSelection(value, DN)).toBeNull();
    }
    // An inherited kind is no kind.
    expect(checkArchiveSelection({ kind: 'toString', origin: DN }, DN)).toBeNull();
    expect(checkArchiveSelection(Object.create({ kind: 'at-risk', origin: DN }), DN)).toBeNull();
  });

  it('checks every field, and refuses unknown ones', () => {
    const hostile: Record<string, unknown>[] = [
      // Missing fields.
      { kind: 'tab', origin: DN, demarche: 104532 },
      { kind: 'month', origin: DN, demarche: 104532 },
      { kind: 'demarche', origin: DN },
      // Démarche numbers.
      { kind: 'demarche', origin: DN, demarche: 0 },
      { kind: 'demarche', origin: DN, demarche: -4 },
      { kind: 'demarche', origin: DN, demarche: 1.5 },
      { kind: 'demarche', origin: DN, demarche: '104532' },
      { kind: 'demarche', origin: DN, demarche: Number.MAX_SAFE_INTEGER + 2 },
      { kind: 'at-risk', origin: DN, demarche: null },
      // Statuts: only DS's tabs.
      { kind: 'tab', origin: DN, demarche: 1, statut: 'brouillons' },
      { kind: 'tab', origin: DN, demarche: 1, statut: '../admin' },
      { kind: 'tab', origin: DN, demarche: 1, statut: ['tous'] },
      // Months: a real YYYY-MM.
      { kind: 'month', origin: DN, demarche: 1, month: '2026-13' },
      { kind: 'month', origin: DN, demarche: 1, month: '2026-00' },
      { kind: 'month', origin: DN, demarche: 1, month: '2026-1' },
      { kind: 'month', origin: DN, demarche: 1, month: '2026-10-01' },
      { kind: 'month', origin: DN, demarche: 1, month: '1850-01' },
      { kind: 'month', origin: DN, demarche: 1, month: ' 2026-10' },
      { kind: 'month', origin: DN, demarche: 1, month: 202610 },
      // Origins: an origin, exactly.
      { kind: 'demarche', origin: `${DN}/`, demarche: 1 },
      { kind: 'demarche', origin: 'javascript:alert(1)', demarche: 1 },
      { kind: 'demarche', origin: { toString: () => DN }, demarche: 1 },
      // A field another kind has, or none has.
      { kind: 'demarche', origin: DN, demarche: 1, statut: 'tous' },
      { kind: 'tab', origin: DN, demarche: 1, statut: 'tous', month: '2026-10' },
      { kind: 'at-risk', origin: DN, dossiers: [1, 2, 3] },
      { kind: 'at-risk', origin: DN, __proto__: { demarche: 1 }, extra: true },
    ];
    for (const value of hostile) {
      expect(checkArchiveSelection(value, DN), JSON.stringify(value)).toBeNull();
      expect(checkArchiveSelection(value, null, true), JSON.stringify(value)).toBeNull();
    }
  });
});
