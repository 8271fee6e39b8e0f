import { beforeEach, describe, expect, it } from 'vitest';
import { createArchiveJob, jobRemaining, readArchiveJob, recordArchivePart } from '@/lib/core/archive/jobs';
import { archiveDoneText, parseArchiveNotificationId } from '@/lib/core/archive/notify-done';
import { db } from '@/lib/core/db';
import type { ExportResult } from '@/lib/export/build-zip';
import { formatDuration, progressView } from '@/lib/view/archive-progress';
import { DN, dossier, NOW, resetDb, seed } from './ui-fixtures';

/**
 * Bulk archives in the database: a part's dossiers enter the ledger with the part (complete ones
 * as « sauvegardé »), what is left is what no part holds, and the end says what was saved.
 */
const ORIGIN = DN;
const result = (number: number, complete: boolean): ExportResult => ({
  dossier: number,
  zipName: `dossier-${number}.zip`,
  exportedAt: NOW.toISOString(),
  files: [{ path: `dossier-${number}/a.pdf`, size: 100, md5: 'abc==', source: 'API', status: 'vérifié' }],
  missing: complete
    ? []
    : [
        {
          path: `dossier-${number}/b.pdf`,
          source: 'API',
          reason: { kind: 'truncated', received: 5, expected: 10 },
          reasonText: 'fichier tronqué',
          expectedSize: 10,
          expectedMd5: null,
        },
      ],
  inventory: [],
  complete,
  summary: complete ? 'complet' : 'incomplet (1 fichier)',
  bytes: 100,
  planRefreshes: 0,
  fileRequests: 1,
});

describe('bulk archive jobs', () => {
  beforeEach(async () => {
    await resetDb();
    await seed({ dossiers: [dossier(10, 1, 20), dossier(11, 1, 20), dossier(12, 1, 20)] });
  });

  const refs = [10, 11, 12].map((n) => ({ origin: ORIGIN, demarche: 1, dossier: n }));

  it('records a part’s dossiers in the ledger with the part, and counts only complete ones saved', async () => {
    const job = await createArchiveJob({ kind: 'demarche', origin: ORIGIN, demarche: 1 }, { refs, title: 'D1' }, NOW);
    expect(jobRemaining(job)).toHaveLength(3);
    const part = { name: 'procedure-1_2026-01-15_partie-001.zip', origin: ORIGIN, demarche: 1, dossiers: [10, 11] };
    const after = await recordArchivePart(
      job.id!,
      { ...part, failed: [], bytes: 200, missingFiles: 1 },
      [result(10, true), result(11, false)],
      NOW,
    );
    expect(after.state).toBe('new');
    expect(jobRemaining(after).map((r) => r.dossier)).toEqual([12]);
    expect((await db.dossiers.get([ORIGIN, 10]))?.archivedAt).toBe(NOW.toISOString());
    expect((await db.dossiers.get([ORIGIN, 11]))?.archivedAt).toBeUndefined();
    const ledger = await db.ledger.toArray();
    expect(ledger.map((row) => [row.dossier, row.fileName, row.missing.length])).toEqual([
      [10, part.name, 0],
      [11, part.name, 1],
    ]);
    // The same part reported twice (a retried message) is recorded once.
    await recordArchivePart(job.id!, { ...part, failed: [], bytes: 200, missingFiles: 1 }, [result(10, true)], NOW);
    expect(await db.ledger.count()).toBe(2);
  });

  it('is done once every dossier is in a part, and says what was saved and what is missing', async () => {
    const job = await createArchiveJob({ kind: 'at-risk' }, { refs, title: 'Tout' }, NOW);
    await recordArchivePart(
      job.id!,
      {
        name: 'p1.zip',
        origin: ORIGIN,
        demarche: 1,
        dossiers: [10, 11, 12],
        failed: [12],
        bytes: 4_100_000_000,
        missingFiles: 3,
      },
      [result(10, true), result(11, true)],
      NOW,
    );
    const done = (await readArchiveJob(job.id!))!;
    expect(done.state).toBe('done');
    expect(archiveDoneText(done)).toBe(
      '2 dossiers sauvegardés (4,1\u202fGo), 3 fichier(s) manquant(s), 1 dossier(s) non obtenu(s) : voir l’inventaire',
    );
  });

  it('refuses a dossier that is not in the part it is recorded with', async () => {
    const job = await createArchiveJob({ kind: 'at-risk' }, { refs, title: 'Tout' }, NOW);
    await expect(
      recordArchivePart(
        job.id!,
        { name: 'p1.zip', origin: ORIGIN, demarche: 1, dossiers: [10], failed: [], bytes: 1, missingFiles: 0 },
        [result(11, true)],
        NOW,
      ),
    ).rejects.toThrow(/not in p1.zip/);
    expect(await db.ledger.count()).toBe(0);
  });

  it('reads back its notification id', () => {
    expect(parseArchiveNotificationId('archiviste-archive|12')).toBe(12);
    expect(parseArchiveNotificationId('archiviste|j30|x|1')).toBeNull();
    expect(parseArchiveNotificationId('archiviste-archive|0')).toBeNull();
  });
});

describe('archive progress', () => {
  it('counts earlier parts, paces the time left on this run, and never passes the total', () => {
    const view = progressView({ doneBefore: 20, doneNow: 10, total: 60, bytesNow: 5_000_000, elapsedMs: 10_000 });
    expect(view).toEqual({ done: 30, total: 60, percent: 50, bytesPerSecond: 500_000, remainingMs: 30_000 });
    expect(progressView({ doneBefore: 0, doneNow: 0, total: 5, bytesNow: 0, elapsedMs: 0 })).toMatchObject({
      bytesPerSecond: null,
      remainingMs: null,
    });
    expect(progressView({ doneBefore: 5, doneNow: 3, total: 6, bytesNow: 1, elapsedMs: 1 }).done).toBe(6);
  });

  it('says durations the way people read them', () => {
    expect(formatDuration(12_000)).toBe('12 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(3_900_000)).toBe('1 h 05 min');
  });
});
