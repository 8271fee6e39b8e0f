import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/core/db';
import { saveDossier } from '@/lib/core/export-dossier';
import { recordDossierExport } from '@/lib/core/ledger';
import type { ExportResult } from '@/lib/export/build-zip';
import { ledgerCsv, ledgerFileName, readLedger, summarizeLedger } from '@/lib/view/ledger';
import { DN, dossier, NOW, resetDb, seed } from './ui-fixtures';

const result = (complete: boolean): ExportResult => ({
  dossier: 10,
  zipName: 'dossier-10.zip',
  exportedAt: NOW.toISOString(),
  files: [
    { path: 'dossier-10/pieces_justificatives/devis.pdf', size: 120, md5: 'abc==', source: 'API', status: 'vérifié' },
  ],
  missing: complete
    ? []
    : [
        {
          path: 'dossier-10/pieces_justificatives/rib.pdf',
          source: 'API',
          reason: { kind: 'checksum', expected: 'x', actual: 'y' },
          reasonText: 'somme de contrôle différente',
          expectedSize: 10,
          expectedMd5: 'x',
        },
      ],
  inventory: [],
  complete,
  summary: complete ? 'complet' : 'incomplet (1 fichier)',
  bytes: 120,
  planRefreshes: 0,
  fileRequests: 2,
});

describe('the archive ledger', () => {
  beforeEach(async () => {
    await resetDb();
    await seed({ dossiers: [dossier(10, 1, 20)] });
  });

  it('records what a complete export holds, and counts the dossier saved', async () => {
    const row = await recordDossierExport(DN, 1, result(true), 'dossier-10.zip');
    expect(row).toMatchObject({
      dossier: 10,
      format: 'zip',
      fileName: 'dossier-10.zip',
      files: [{ name: 'dossier-10/pieces_justificatives/devis.pdf', size: 120, checksum: 'abc==' }],
      missing: [],
    });
    expect((await db.ledger.toArray()).length).toBe(1);
    expect((await db.dossiers.get([DN, 10]))?.archivedAt).toBe(NOW.toISOString());
  });

  it('records a partial export with what is missing and why, and never counts it as saved', async () => {
    await recordDossierExport(DN, 1, result(false), 'dossier-10.zip');
    expect((await db.ledger.toArray())[0]?.missing).toEqual([
      { name: 'dossier-10/pieces_justificatives/rib.pdf', reason: 'somme de contrôle différente' },
    ]);
    expect((await db.dossiers.get([DN, 10]))?.archivedAt ?? null).toBeNull();
  });

  it('without a token, asks for the session-made ZIP (no token in the request)', async () => {
    const asked: unknown[] = [];
    const save = saveDossier(
      { origin: DN, demarche: 1, dossier: 10 },
      {
        makeZip: (request) => {
          asked.push(request);
          return Promise.reject(Object.assign(new Error('x'), { code: 'logged-out' }));
        },
        csvSeparator: ';',
        explain: (error) => `expliqué : ${(error as { code: string }).code}`,
        now: NOW,
      },
    );
    await expect(save).rejects.toThrow('expliqué : logged-out');
    expect(asked).toEqual([
      { origin: DN, demarche: 1, dossier: 10, token: null, csvSeparator: ';', exportedAt: NOW.toISOString() },
    ]);
    expect(await db.ledger.count()).toBe(0);
  });

  it('words a failure to make the ZIP as the explainer says, and writes nothing', async () => {
    await db.secrets.put({ origin: DN, token: 'jeton', savedAt: NOW.toISOString() });
    const save = saveDossier(
      { origin: DN, demarche: 1, dossier: 10 },
      {
        makeZip: () => Promise.reject(Object.assign(new Error('x'), { code: 'token-expired' })),
        csvSeparator: ';',
        explain: (error) => `expliqué : ${(error as { code: string }).code}`,
        now: NOW,
      },
    );
    await expect(save).rejects.toThrow('expliqué : token-expired');
    expect(await db.ledger.count()).toBe(0);
  });
});

describe('the ledger’s CSV, proof of what was archived', () => {
  it('has a line per file of each save, present with its MD5 or missing with its reason, neutralised', async () => {
    await resetDb();
    await seed({ dossiers: [dossier(10, 1, 20)] });
    await recordDossierExport(DN, 1, result(true), 'dossier-10.zip');
    await recordDossierExport(DN, 1, result(false), '=dossier-10 (2).zip');
    const rows = await readLedger();
    expect(summarizeLedger(rows)).toEqual({ exports: 2, dossiers: 1, incomplete: 1 });
    const csv = ledgerCsv(rows, ';');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Date;Instance;Démarche;Dossier;Archive;Complète;Fichier;Taille (octets);MD5 (base64);Statut;Raison',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(';dossier-10.zip;oui;dossier-10/pieces_justificatives/devis.pdf;120;abc==;présent;');
    expect(lines[3]).toContain(
      ";'=dossier-10 (2).zip;non;dossier-10/pieces_justificatives/rib.pdf;;;manquant;somme de contrôle différente",
    );
    expect(ledgerFileName(NOW)).toBe('registre-archiviste_2026-11-23.csv');
  });
});
