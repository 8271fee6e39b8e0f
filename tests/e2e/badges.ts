import { expect } from 'vitest';
import type { DossierSummary } from '../../demo/admin/admin';
import type { DemoInstance } from '../../demo/instance';
import { parisDayNumber } from '../../demo/time';
import { deletable, type Evaluator } from './expiry';

/** An Archiviste countdown on a DS page, as the page shows it. */
export interface ShownBadge {
  number: number;
  expiresAt: string | null;
  daysLeft: string | null;
  source: string | null;
  text: string;
  /** True when it sits in the list row of its own dossier. */
  inRow: boolean;
}

/** Every Archiviste countdown on the page, with its row's dossier number. */
export function shownBadges(page: Evaluator): Promise<ShownBadge[]> {
  return page.evaluate(
    () =>
      [...document.querySelectorAll('[data-archiviste-countdown]')].map((badge) => ({
        number: Number(badge.getAttribute('data-archiviste-countdown')),
        expiresAt: badge.getAttribute('data-archiviste-expires-at'),
        daysLeft: badge.getAttribute('data-archiviste-days-left'),
        source: badge.getAttribute('data-archiviste-source'),
        text: badge.textContent ?? '',
        inRow:
          badge.closest('tr[data-row-key]')?.getAttribute('data-row-key') ===
          badge.getAttribute('data-archiviste-countdown'),
      })),
    null,
  );
}

/** The dossier numbers of a DS list's rows, in order. */
export function rowNumbers(page: Evaluator): Promise<number[]> {
  return page.evaluate(
    () =>
      [...document.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]')].map((row) =>
        Number(row.getAttribute('data-row-key')),
      ),
    null,
  );
}

/**
 * Checks a countdown against the instance's truth for a dossier DS still lists (after a sync with a
 * token): the API's days (±1 day, Paris calendar days), « N’expire pas » for what DS never deletes,
 * the countdown to the purge for what is in the corbeille or past its date.
 */
export function expectTruth(demo: DemoInstance, badge: ShownBadge): void {
  const d: DossierSummary = demo.admin.dossiers().find((x) => x.number === badge.number)!;
  const expired = d.dateExpiration !== null && Date.parse(d.dateExpiration) <= demo.clock.now().getTime();
  if (d.inCorbeille || (expired && deletable(demo, d))) {
    // In the corbeille, or past its date and hidden at DS's next run: the countdown runs to the purge.
    expect(badge.text, `n° ${badge.number}`).toMatch(/^Corbeille : /);
    return;
  }
  if (!deletable(demo, d)) {
    expect(badge, `n° ${badge.number} (${d.state})`).toMatchObject({
      expiresAt: 'none',
      daysLeft: '',
      text: 'N’expire pas',
    });
    return;
  }
  expect(Math.abs(Number(badge.daysLeft) - d.daysLeft!), `n° ${badge.number}`).toBeLessThanOrEqual(1);
  const day = parisDayNumber(new Date(`${badge.expiresAt}T12:00:00+01:00`));
  expect(Math.abs(day - parisDayNumber(new Date(d.dateExpiration!)))).toBeLessThanOrEqual(1);
  expect(badge.source).toBe('api');
}
