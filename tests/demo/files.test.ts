import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { Browser, graphql, pdfProblems, pdfText, readZip, start } from './helpers';

interface ApiFile {
  filename: string;
  url: string;
  byteSizeBigInt: string;
  checksum: string;
  contentType: string;
}

describe('files: signed URLs, checksums, ZIP and PDF', () => {
  let demo: DemoInstance;
  let browser: Browser;
  let accepted: number;

  beforeAll(async () => {
    demo = await start({ demarches: 1, dossiers: 40, attachmentKb: 300 });
    browser = new Browser(demo);
    await browser.signIn();
    accepted = demo.admin.dossiers({ state: 'accepte' }).find((d) => d.visible)!.number;
  });
  afterAll(() => demo.close());
  afterEach(() => demo.faults.clear());

  const filesOf = async (number: number): Promise<{ files: ApiFile[]; attestation: ApiFile | null }> => {
    const fields = 'filename url byteSizeBigInt checksum contentType';
    const { body } = await graphql<{
      dossier: {
        champs: Array<{ files?: ApiFile[] }>;
        messages: Array<{ attachments: ApiFile[] }>;
        attestation: ApiFile | null;
      };
    }>(demo, {
      query: `{ dossier(number: ${number}) {
        champs { ... on PieceJustificativeChamp { files { ${fields} } } }
        messages { attachments { ${fields} } }
        attestation { ${fields} }
      } }`,
    });
    const dossier = body.data!.dossier;
    return {
      files: [...dossier.champs.flatMap((c) => c.files ?? []), ...dossier.messages.flatMap((m) => m.attachments)],
      attestation: dossier.attestation,
    };
  };
  const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('base64');
  const download = async (url: string) => {
    const response = await fetch(url);
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  };

  it('serves attachments from the files origin with the announced size and base64 MD5', async () => {
    const { files, attestation } = await filesOf(accepted);
    expect(files.length).toBeGreaterThan(0);
    for (const file of [...files, attestation!]) {
      expect(file.url.startsWith(`${demo.filesUrl}/`)).toBe(true);
      const { response, bytes } = await download(file.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(file.contentType);
      expect(response.headers.get('content-disposition')).toContain(`filename="${file.filename}"`);
      expect(bytes.length).toBe(Number(file.byteSizeBigInt));
      expect(md5(bytes)).toBe(file.checksum);
      expect(pdfProblems(bytes)).toEqual([]);
    }
  });

  it('refuses a tampered signature and expires URLs after one hour of demo time', async () => {
    const [file] = (await filesOf(accepted)).files;
    const tampered = file!.url.replace(
      /temp_url_sig=([0-9a-f])/,
      (_, c: string) => `temp_url_sig=${c === '0' ? '1' : '0'}`,
    );
    expect((await fetch(tampered)).status).toBe(401);
    demo.clock.advance(59 * 60_000);
    expect((await fetch(file!.url)).status).toBe(200);
    demo.clock.advance(2 * 60_000);
    expect((await fetch(file!.url)).status).toBe(401);
  });

  it('serves the API’s dossier PDF at a signed URL that also expires', async () => {
    const { body } = await graphql<{ dossier: { pdf: { url: string } } }>(demo, {
      query: `{ dossier(number: ${accepted}) { pdf { url } } }`,
    });
    const url = body.data!.dossier.pdf.url;
    const { response, bytes } = await download(url);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(pdfProblems(bytes)).toEqual([]);
    expect(pdfText(bytes)).toContain(`Dossier n° ${accepted}`);
    demo.clock.advance(61 * 60_000);
    expect((await fetch(url)).status).toBe(401);
  });

  it('streams telecharger_pjs as dossier-<n>.zip in DS’s layout, with valid CRCs', async () => {
    const response = await browser.request(
      `/procedures/${demo.demarches[0]!.number}/dossiers/${accepted}/telecharger_pjs`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(`filename="dossier-${accepted}.zip"`);
    const entries = readZip(Buffer.from(await response.arrayBuffer()));
    const names = entries.map((e) => e.name);
    expect(names[0]).toMatch(
      new RegExp(
        `^dossier-${accepted}/export-${accepted}-\\d\\d-\\d\\d-\\d{4}-\\d\\d-\\d\\d-${accepted % 10000}\\.pdf$`,
      ),
    );
    expect(
      names.some((n) =>
        /\/pieces_justificatives\/budget-previsionnel-2026-\d\d-\d\d-\d{4}-\d\d-\d\d-\d+\.pdf$/.test(n),
      ),
    ).toBe(true);
    expect(names).toContainEqual(
      expect.stringMatching(new RegExp(`/pieces_justificatives/attestation-dossier-${accepted}-.*\\.pdf$`)),
    );
    expect(names.every((n) => n.startsWith(`dossier-${accepted}/`))).toBe(true);
    for (const entry of entries) {
      expect(entry.method).toBe(0);
      expect(crc32(entry.data)).toBe(entry.crc);
      expect(pdfProblems(entry.data)).toEqual([]);
    }
    const { files } = await filesOf(accepted);
    expect(entries.map((e) => md5(e.data))).toEqual(expect.arrayContaining(files.map((f) => f.checksum)));
    // The dossier's attachments (all but the PDF export and the attestation) share its --attachment-kb budget.
    const attachments = entries.slice(1).filter((e) => !e.name.includes('/attestation-dossier-'));
    const total = attachments.reduce((sum, e) => sum + e.data.length, 0);
    expect(Math.abs(total - 300 * 1024)).toBeLessThan(attachments.length);
  });

  it('serves the dossier PDF at the dossier URL plus .pdf', async () => {
    const response = await browser.request(`/procedures/${demo.demarches[0]!.number}/tous/dossiers/${accepted}.pdf`);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(pdfProblems(Buffer.from(await response.arrayBuffer()))).toEqual([]);
  });

  it('truncates file bodies and reports wrong checksums on demand', async () => {
    const [file] = (await filesOf(accepted)).files;
    demo.faults.set({ truncate: { count: 1 } });
    await expect(download(file!.url)).rejects.toThrow();
    const { bytes } = await download(file!.url);
    expect(bytes.length).toBe(Number(file!.byteSizeBigInt));

    demo.faults.set({ wrongChecksum: true });
    const [reported] = (await filesOf(accepted)).files;
    expect(reported!.checksum).not.toBe(md5(bytes));
    expect(reported!.checksum).toHaveLength(24);
  });

  it('makes a dossier with exactly N attachments of a given total size (POST /__demo/dossiers)', async () => {
    const response = await fetch(`${demo.url}/__demo/dossiers`, {
      method: 'POST',
      body: JSON.stringify({
        demarche: demo.demarches[0]!.number,
        state: 'refuse',
        attachments: 20,
        attachmentKb: 2048,
      }),
    });
    const [added] = (await response.json()) as { number: number }[];
    const { files, attestation } = await filesOf(added!.number);
    expect(files).toHaveLength(20);
    expect(attestation).toBeNull();
    expect(new Set(files.map((f) => f.filename)).size).toBe(20);
    const total = files.reduce((sum, f) => sum + Number(f.byteSizeBigInt), 0);
    expect(Math.abs(total - 2048 * 1024)).toBeLessThan(files.length);
    // DS's own ZIP holds the same 20 files (after its PDF export), none from messages or avis.
    const zip = await browser.request(
      `/procedures/${demo.demarches[0]!.number}/dossiers/${added!.number}/telecharger_pjs`,
    );
    const entries = readZip(Buffer.from(await zip.arrayBuffer())).slice(1);
    expect(entries.map((e) => md5(e.data)).sort()).toEqual(files.map((f) => f.checksum).sort());

    const refused = await fetch(`${demo.url}/__demo/dossiers`, {
      method: 'POST',
      body: JSON.stringify({ demarche: demo.demarches[0]!.number, state: 'refuse', attachmentKb: 10 }),
    });
    expect(refused.status).toBe(400);
  });

  it('answers 404 for the files of a dossier that vanished', async () => {
    const vanishing = demo.admin.dossiers({ state: 'en_construction' }).find((d) => d.visible)!.number;
    const [file] = (await filesOf(vanishing)).files;
    demo.admin.vanish(vanishing, 'deleted');
    expect((await fetch(file!.url)).status).toBe(404);
  });
});

describe('large attachments', () => {
  it('streams a 20 MB attachment whose size and MD5 the API announced first', async () => {
    const demo = await start({ demarches: 1, dossiers: 2, attachmentKb: 40_000 });
    try {
      const number = demo.admin.dossiers()[0]!.number;
      const { body } = await graphql<{ dossier: { champs: Array<{ files?: ApiFile[] }> } }>(demo, {
        query: `{ dossier(number: ${number}) { champs { ... on PieceJustificativeChamp { files { url byteSizeBigInt checksum } } } } }`,
      });
      const file = body
        .data!.dossier.champs.flatMap((c) => c.files ?? [])
        .sort((a, b) => Number(b.byteSizeBigInt) - Number(a.byteSizeBigInt))[0]!;
      expect(Number(file.byteSizeBigInt)).toBeGreaterThan(10_000_000);
      const response = await fetch(file.url);
      const hash = createHash('md5');
      let size = 0;
      for await (const chunk of response.body!) {
        hash.update(chunk);
        size += chunk.length;
      }
      expect(size).toBe(Number(file.byteSizeBigInt));
      expect(hash.digest('base64')).toBe(file.checksum);
    } finally {
      await demo.close();
    }
  });
});
