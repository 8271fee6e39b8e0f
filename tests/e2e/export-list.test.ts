import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { alignExtensionClock, logIn, startDemoForTest } from './demo';
import { demarchesKnown, send, syncNow, until } from './expiry';
import { type ExtensionSession, launchExtension } from './harness';

/**
 * Issue 10, lists: a whole tab (every page, not only the one shown) saved as a spreadsheet with
 * DS's columns plus Archiviste's four, and as a deletion schedule PDF naming the instructeur's
 * filters; token-less, then with a token (the spreadsheet then holds the dossiers' champs).
 */

/** What DS's API says of some dossiers' champs, asked directly (never with the extension's code). */
async function apiChamps(demo: DemoInstance, numbers: number[]) {
  const fields = 'label stringValue ... on PieceJustificativeChamp { files { filename } }';
  const query = `query { ${numbers
    .map(
      (n) =>
        `d${n}: dossier(number: ${n}) { champs { __typename ${fields} ... on RepetitionChamp { rows { champs { ${fields} } } } } }`,
    )
    .join(' ')} }`;
  const response = await fetch(`${demo.url}/api/v2/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demo.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  type Champ = {
    __typename: string;
    label: string;
    stringValue: string | null;
    files?: { filename: string }[];
    rows?: { champs: Champ[] }[];
  };
  const { data } = (await response.json()) as { data: Record<string, { champs: Champ[] }> };
  return numbers.map((n) => ({ number: n, champs: data[`d${n}`]!.champs }));
}

const parseCsv = (text: string) => {
  expect(text.startsWith('\uFEFF')).toBe(true);
  return Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true }).data;
};
describe('a whole tab saved as a spreadsheet and a schedule', () => {
  let session: ExtensionSession;
  let demo: DemoInstance;
  let ds: Page;
  let demarche: number;

  /** Saves the « au total » tab; the file as the browser wrote it (its name is in the status) and the status. */
  async function save(kind: 'csv' | 'pdf', prefix: string): Promise<{ path: string; status: string }> {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    const button = ds.locator(`[data-archiviste-export="${kind}"]`);
    await button.waitFor();
    await button.click();
    const status = ds.locator('[data-archiviste-slot="export"] [data-archiviste-export-status]');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^Enregistré|n’a pas pu/);
    const said = (await status.textContent()) ?? '';
    const name = /^Enregistré : (.+?) \(\d+ dossiers\)/.exec(said)?.[1];
    expect(name, said).toMatch(new RegExp(`^${prefix}`));
    await until(
      async () => readdirSync(session.downloadsDir).includes(name!),
      (written) => written,
    );
    return { path: join(session.downloadsDir, name!), status: said };
  }

  async function pdfText(path: string): Promise<{ text: string; pages: number }> {
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const pdf = await getDocument({ data: new Uint8Array(bytes) }).promise;
    let text = '';
    for (let n = 1; n <= pdf.numPages; n += 1) {
      const content = await (await pdf.getPage(n)).getTextContent();
      text += ` ${content.items.map((item) => ('str' in item ? item.str : '')).join(' ')}`;
    }
    return { text, pages: pdf.numPages };
  }

  /** Sets a filter of the « au total » tab through DS's own form route, from the DS page (its session and CSRF token). */
  async function setStateFilter(values: string[]): Promise<void> {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    const status = await ds.evaluate(
      async ([number, states]) => {
        const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
        const form = document.querySelector('#editable-filters-component form[action$="/update_filter"]');
        const body = new URLSearchParams([
          ['authenticity_token', token],
          ['statut', 'tous'],
          ['filter[id]', JSON.stringify({ procedure_id: number, column_id: 'self/state' })],
          ['filter[filter][operator]', 'match'],
          ...states.map((state) => ['filter[filter][value][]', state]),
        ]);
        return (await fetch(form?.getAttribute('action') ?? '', { method: 'POST', body })).status;
      },
      [demarche, values] as const,
    );
    expect(status).toBe(200);
  }

  beforeAll(async () => {
    // Enough dossiers for the « au total » tab of a démarche to run over two pages of 100.
    [session, demo] = await Promise.all([launchExtension(), startDemoForTest({ dossiers: 480 })]);
    await alignExtensionClock(session.context, demo);
    const popup = await session.openExtensionPage('popup.html');
    ds = await session.newPage();
    await logIn(ds, demo);
    await ds.waitForSelector('html[data-archiviste="ready"]');
    await demarchesKnown(popup, demo);
    expect((await syncNow(popup))[0]?.problem).toBeNull();
    await popup.close();
    demarche = demo.demarches.find((d) => d.expiresWhenTermine && d.showsExpirationColumn)!.number;
  });
  afterAll(async () => {
    await session?.close();
    await demo?.close();
  });

  it('writes every dossier of the tab, across its pages, with the deletion columns', async () => {
    const expected = demo.admin.dossiers({ demarche, statut: 'tous' }).map((d) => d.number);
    expect(expected.length).toBeGreaterThan(100);
    const { path } = await save('csv', `dossiers_procedure-${demarche}_`);
    const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
    // Token-less: no champs, Archiviste's four columns last.
    expect(header?.slice(-4)).toEqual(['Date de suppression', 'Jours restants', 'Source', 'Sauvegardé le']);
    const numberColumn = header!.indexOf('N° dossier');
    expect(numberColumn).toBeGreaterThanOrEqual(0);
    expect(rows.map((row) => Number(row[numberColumn])).sort()).toEqual([...expected].sort());
    // Archiviste's own columns are filled from the same fates as the badges.
    const days = header!.indexOf('Jours restants');
    expect(rows.some((row) => /^\d+$/.test(row[days] ?? ''))).toBe(true);
    // No cell a spreadsheet would run as a formula.
    expect(rows.flat().some((cell) => /^[=+\-@]/.test(cell))).toBe(false);
  });

  it('writes the deletion schedule as a PDF', async () => {
    const { path } = await save('pdf', `echeancier_procedure-${demarche}_`);
    expect(existsSync(path)).toBe(true);
    const { text, pages } = await pdfText(path);
    expect(text).toContain('Échéancier des suppressions');
    expect(text).toContain('Filtres : aucun');
    for (const d of demo.admin.dossiers({ demarche, statut: 'tous' }).slice(0, 20))
      expect(text).toContain(String(d.number));
    expect(text).toContain(`Page ${pages} / ${pages}`);
  });

  it('names in the schedule the filters the instructeur set on DS, and keeps only the dossiers they leave', async () => {
    await setStateFilter(['en_construction', 'accepte']);
    try {
      await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
      expect(await ds.locator('#editable-filters-component button.fr-tag').allTextContents()).toEqual([
        'État du dossier : En construction',
        'État du dossier : Accepté',
      ]);
      const { path, status } = await save('pdf', `echeancier_procedure-${demarche}_`);
      const kept = demo.admin
        .dossiers({ demarche, statut: 'tous' })
        .filter((d) => d.state === 'en_construction' || d.state === 'accepte');
      expect(status).toContain(`(${kept.length} dossiers)`);
      const { text } = await pdfText(path);
      expect(text).toContain('Filtres : État du dossier : En construction · État du dossier : Accepté');
      const refused = demo.admin.dossiers({ demarche, statut: 'tous', state: 'refuse' })[0]!;
      expect(text).not.toContain(String(refused.number));
    } finally {
      await setStateFilter([]);
    }
  });

  it('saves one dossier from its row, with the row’s own « ZIP »', async () => {
    await ds.goto(`${demo.url}/procedures/${demarche}/tous`);
    const row = ds.locator('#table-dossiers > tbody > tr[data-row-key]').first();
    const number = Number(await row.getAttribute('data-row-key'));
    await row.locator('[data-archiviste-slot="row-export"] button').waitFor();
    const button = row.getByRole('button', { name: `Sauvegarder le dossier n° ${number} (ZIP)` });
    await button.click();
    await expect
      .poll(() => row.locator('[data-archiviste-export-status]').textContent(), { timeout: 30_000 })
      .toMatch(new RegExp(`^Sauvegardé : dossier-${number}\\.zip`));
    expect(existsSync(join(session.downloadsDir, `dossier-${number}.zip`))).toBe(true);
    // One badge and one action per row, the countdown untouched.
    expect(await row.locator('[data-archiviste-countdown]').count()).toBe(1);
    expect(await row.locator('[data-archiviste-slot="row-export"]').count()).toBe(1);
  });

  describe('with a token', () => {
    beforeAll(async () => {
      const options = await session.openExtensionPage('popup.html');
      expect((await send(options, 'save-token', { origin: demo.url, token: demo.token })).ok).toBe(true);
      expect((await syncNow(options))[0]?.problem).toBeNull();
      await options.close();
    });

    it('adds the dossiers’ champs as DS’s API gives them, 100 dossiers a request', async () => {
      const listed = demo.admin.dossiers({ demarche, statut: 'tous' });
      demo.resetMetrics();
      const { path, status } = await save('csv', `dossiers_procedure-${demarche}_`);
      expect(status).toBe(`Enregistré : ${path.split('/').pop()} (${listed.length} dossiers)`);
      // « au total » is every visible dossier but the archived ones: the walk reads them all, 100 a page.
      expect(demo.metrics().requests.graphql).toBe(Math.ceil(listed.length / 100));

      const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
      const archiviste = header!.indexOf('Sauvegardé le');
      const champHeaders = header!.slice(archiviste + 1);
      expect(champHeaders).toContain('Montant demandé (€)');
      expect(champHeaders).toContain('Manifestations prévues 1 · Intitulé');
      expect(champHeaders).not.toContain('L’association'); // a section title holds no value
      const numberColumn = header!.indexOf('N° dossier');
      const byNumber = new Map(rows.map((row) => [Number(row[numberColumn]), row]));
      const cell = (number: number, column: string) => byNumber.get(number)?.[header!.indexOf(column)];
      for (const { number, champs } of await apiChamps(
        demo,
        listed.slice(0, 5).map((d) => d.number),
      )) {
        for (const champ of champs) {
          if (champ.__typename === 'HeaderSectionChamp') continue;
          if (champ.rows) {
            champ.rows.forEach((row, index) => {
              for (const child of row.champs)
                expect(cell(number, `${champ.label} ${index + 1} · ${child.label}`)).toBe(child.stringValue ?? '');
            });
          } else if (champ.files) {
            expect(cell(number, champ.label)).toBe(champ.files.map((f) => f.filename).join(', '));
          } else {
            const value = champ.stringValue ?? '';
            // Neutralised like every cell: a value a spreadsheet would run gets a leading quote.
            expect(cell(number, champ.label)).toBe(/^[=+\-@]/.test(value) ? `'${value}` : value);
          }
        }
      }
    });

    it('when DS’s API fails, still writes the spreadsheet, without champs, and says so', async () => {
      demo.faults.set({ serverError: { target: 'graphql', count: 3 } });
      try {
        const { path, status } = await save('csv', `dossiers_procedure-${demarche}_`);
        expect(status).toMatch(
          /\), sans les champs des dossiers, que l’API de DS n’a pas donnés\. DS a rencontré une erreur\./,
        );
        const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
        expect(header?.slice(-4)).toEqual(['Date de suppression', 'Jours restants', 'Source', 'Sauvegardé le']);
        expect(rows).toHaveLength(demo.admin.dossiers({ demarche, statut: 'tous' }).length);
      } finally {
        demo.faults.clear();
      }
    });
  });
});
