import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeStorageFilename,
  HOSTILE_FILENAMES,
  HOSTILE_MESSAGE_BODY,
  HOSTILE_MESSAGE_FILENAME,
  HOSTILE_RAISON_SOCIALE,
  HOSTILE_TEXTS,
  MEGABYTE,
} from '../../demo/data/hostile';
import type { DemoInstance } from '../../demo/instance';
import { Browser, graphql, readZip, start } from './helpers';

/**
 * The hostile dossier the admin endpoint adds on demand: the same hostile values in the API, the
 * pages (escaped, as DS's templates do), the messagerie and DS's ZIP; file names as DS's
 * ActiveStorage gives them.
 */

const QUERY = `query hostile($number: Int!) {
  dossier(number: $number) {
    demandeur { ... on PersonneMorale { entreprise { raisonSociale } } }
    champs {
      label stringValue
      ... on PieceJustificativeChamp { files { filename } }
      ... on RepetitionChamp { rows { champs { label stringValue } } }
    }
    messages { body attachments { filename } }
  }
}`;

interface Champ {
  label: string;
  stringValue: string | null;
  files?: { filename: string }[];
  rows?: { champs: Champ[] }[];
}

describe('a hostile dossier', () => {
  let demo: DemoInstance;
  let browser: Browser;
  let number: number;
  let demarche: number;

  beforeAll(async () => {
    demo = await start({ dossiers: 6 });
    browser = new Browser(demo);
    await browser.signIn();
    demarche = demo.demarches[0]!.number;
    const response = await fetch(`${demo.url}/__demo/dossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ demarche, state: 'en_construction', hostile: true }),
    });
    expect(response.status).toBe(200);
    [{ number }] = (await response.json()) as [{ number: number }];
  });
  afterAll(() => demo.close());

  it('names files as DS’s ActiveStorage does: separators, U+202E and `:` become `-`, the rest as typed', () => {
    expect(activeStorageFilename('../../evil.pdf')).toBe('..-..-evil.pdf');
    expect(activeStorageFilename('/etc/passwd')).toBe('-etc-passwd');
    expect(activeStorageFilename('C:\\Windows\\x.pdf')).toBe('C--Windows-x.pdf');
    expect(activeStorageFilename('\u202Efdp.exe')).toBe('-fdp.exe');
    expect(activeStorageFilename(' \tCON \n')).toBe('CON');
    expect(activeStorageFilename('a\u200Bb\uFEFF.pdf')).toBe('a\u200Bb\uFEFF.pdf');
  });

  it('gives its hostile values through the API: names, every hostile text, 1 MB, file names, the message', async () => {
    const { body } = await graphql<{
      dossier: {
        demandeur: { entreprise: { raisonSociale: string } };
        champs: Champ[];
        messages: { body: string; attachments: { filename: string }[] }[];
      };
    }>(demo, { query: QUERY, variables: { number } });
    const dossier = body.data!.dossier;
    expect(dossier.demandeur.entreprise.raisonSociale).toBe(HOSTILE_RAISON_SOCIALE);
    const repetition = dossier.champs.find((c) => c.rows)!;
    expect(repetition.rows!.map((row) => row.champs.find((c) => c.label === 'Intitulé')?.stringValue)).toEqual(
      HOSTILE_TEXTS,
    );
    const long = dossier.champs.find((c) => (c.stringValue?.length ?? 0) > 1000)!;
    expect(long.stringValue).toHaveLength(MEGABYTE);
    const files = dossier.champs.flatMap((c) => c.files ?? []).map((f) => f.filename);
    expect(files).toEqual(HOSTILE_FILENAMES.map(activeStorageFilename));
    const message = dossier.messages.find((m) => m.body === HOSTILE_MESSAGE_BODY)!;
    expect(message.attachments.map((f) => f.filename)).toEqual([activeStorageFilename(HOSTILE_MESSAGE_FILENAME)]);
  });

  it('shows them as text on the dossier page, the messagerie and the print page (the list shows the e-mail)', async () => {
    const pages = [
      `/procedures/${demarche}/a-suivre`,
      `/procedures/${demarche}/a-suivre/dossiers/${number}`,
      `/procedures/${demarche}/a-suivre/dossiers/${number}/messagerie`,
      `/procedures/${demarche}/dossiers/${number}/print`,
    ];
    for (const path of pages) {
      const response = await browser.request(path);
      expect(response.status, path).toBe(200);
      const html = await response.text();
      expect(html, path).not.toContain('<script>window.__pwned');
      expect(html, path).not.toContain('<img src=x');
      expect(html, path).not.toContain('<svg');
      if (!path.endsWith('/a-suivre')) expect(html, path).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
      else expect(html, path).toContain(`data-row-key="${number}"`);
    }
    const page = await browser.page(`/procedures/${demarche}/a-suivre/dossiers/${number}`);
    expect(page.body.textContent).toContain(HOSTILE_RAISON_SOCIALE);
    expect(page.body.textContent).toContain(activeStorageFilename('C:\\Windows\\x.pdf'));
  });

  it('puts every file in DS’s ZIP under its folder, DS’s stamped names, the duplicate told apart by its id', async () => {
    const response = await browser.request(`/procedures/${demarche}/dossiers/${number}/telecharger_pjs`);
    expect(response.status).toBe(200);
    const names = readZip(Buffer.from(await response.arrayBuffer())).map((f) => f.name);
    const pieces = names.filter((n) => n.startsWith(`dossier-${number}/pieces_justificatives/`));
    expect(pieces).toHaveLength(HOSTILE_FILENAMES.length);
    expect(new Set(pieces).size).toBe(pieces.length);
    for (const name of names) expect(name.split('/').slice(1).includes('..'), name).toBe(false);
    expect(names.filter((n) => n.includes('/messagerie/'))).toHaveLength(1);
  });
});
