// @vitest-environment node
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ExportChamp, ExportDossierNode, ExportFile } from '@/lib/ds/queries';
import { buildDossierZip } from '@/lib/export/build-zip';
import { dossierDocument } from '@/lib/export/dossier-json';
import { planDossierExport } from '@/lib/export/plan';
import { messagerieTranscript, plainBody } from '@/lib/export/transcript';

/** A dossier as the API could return it, with hostile file names, built by hand. */
const bodies = new Map<string, Uint8Array>();
let nextId = 0;
function file(filename: string, content: string, createdAt = '2026-01-12T08:14:00Z'): ExportFile {
  const bytes = new TextEncoder().encode(content);
  const url = `https://storage.example/f${nextId++}?temp_url_sig=x`;
  bodies.set(url, bytes);
  return {
    url,
    filename,
    contentType: 'application/pdf',
    checksum: createHash('md5').update(bytes).digest('base64'),
    byteSizeBigInt: String(bytes.length),
    createdAt,
  };
}
const champ = (id: string, extra: { __typename: string } & Record<string, unknown>): ExportChamp =>
  ({
    id,
    champDescriptorId: `d${id}`,
    label: `Champ ${id}`,
    stringValue: null,
    updatedAt: '2026-01-10T10:00:00Z',
    prefilled: false,
    ...extra,
  }) as ExportChamp;

function dossier(): ExportDossierNode {
  return {
    id: 'RG9zc2llci00Mg==',
    number: 42,
    state: 'accepte',
    archived: false,
    dateDepot: '2026-01-02T10:00:00+01:00',
    datePassageEnConstruction: '2026-01-02T10:00:00+01:00',
    datePassageEnInstruction: '2026-01-05T10:00:00+01:00',
    dateTraitement: '2026-01-10T10:00:00+01:00',
    dateDerniereModification: '2026-01-10T10:00:00+01:00',
    dateDerniereModificationChamps: '2026-01-02T10:00:00+01:00',
    dateDerniereModificationAnnotations: '2026-01-06T10:00:00+01:00',
    dateExpiration: '2027-01-10T10:00:00+01:00',
    dateSuppressionParUsager: null,
    dateSuppressionParAdministration: null,
    demarche: { number: 104532, title: 'Subvention', dureeConservationDossiers: 12 },
    groupeInstructeur: { number: 1, label: 'défaut' },
    usager: { email: 'usager@example.org' },
    demandeur: {
      __typename: 'PersonnePhysique',
      civilite: 'Mme',
      nom: 'Martin',
      prenom: 'Élodie',
      dateDeNaissance: null,
      email: null,
    },
    deposeParUnTiers: false,
    nomMandataire: null,
    prenomMandataire: null,
    instructeurs: [{ email: 'instructeur@example.gouv.fr' }],
    motivation: 'Dossier complet',
    motivationAttachment: file('décision.pdf', 'motivation'),
    attestation: file('attestation-dossier-42.pdf', 'attestation'),
    pdf: { ...file('dossier-42.pdf', '%PDF-1.4 dossier'), checksum: '', byteSizeBigInt: '0' },
    champs: [
      champ('1', {
        __typename: 'PieceJustificativeChamp',
        files: [file('../../etc/passwd', 'a'), file('CON.pdf', 'b')],
      }),
      champ('2', {
        __typename: 'RepetitionChamp',
        rows: [
          {
            id: 'r1',
            champs: [champ('2a', { __typename: 'PieceJustificativeChamp', files: [file('devis.pdf', 'c')] })],
          },
          {
            id: 'r2',
            champs: [champ('2b', { __typename: 'PieceJustificativeChamp', files: [file('devis.pdf', 'd')] })],
          },
        ],
      }),
      champ('3', { __typename: 'TextChamp', stringValue: '=cmd|calc' }),
    ],
    annotations: [champ('4', { __typename: 'PieceJustificativeChamp', files: [file(`${'x'.repeat(300)}.pdf`, 'e')] })],
    messages: [
      {
        id: 'm2',
        email: 'instructeur@example.gouv.fr',
        body: 'Merci,<br>pièce reçue &amp; validée',
        createdAt: '2026-01-08T09:00:00Z',
        discardedAt: null,
        attachments: [file('fac\u202Eture.pdf', 'f')],
        correction: null,
      },
      {
        id: 'm1',
        email: 'usager@example.org',
        body: 'Bonjour',
        createdAt: '2026-01-03T09:00:00Z',
        discardedAt: null,
        attachments: [],
        correction: { reason: 'incomplete', dateResolution: null },
      },
    ],
    avis: [
      {
        id: 'a1',
        question: 'Avis ?',
        questionLabel: null,
        questionAnswer: null,
        reponse: 'Favorable',
        dateQuestion: '2026-01-06T09:00:00Z',
        dateReponse: '2026-01-07T09:00:00Z',
        claimant: { email: 'instructeur@example.gouv.fr' },
        expert: { email: 'expert@example.org' },
        attachments: [file('avis.pdf', 'g')],
      },
    ],
    traitements: [
      { event: 'accepte', dateTraitement: '2026-01-10T10:00:00+01:00', emailAgentTraitant: 'i@x', motivation: null },
    ],
  };
}

const fakeFetch = (fail: Record<string, number> = {}): typeof fetch =>
  (async (input: RequestInfo | URL) => {
    const url = String(input);
    if (fail[url]) return new Response('no', { status: fail[url] });
    const body = bodies.get(url);
    return body ? new Response(body as BodyInit) : new Response('missing', { status: 404 });
  }) as typeof fetch;

const noWait = { now: () => Date.now(), sleep: async () => {} };

describe('export plan', () => {
  it('lays every file out in DS’s folders, with safe and unique names', () => {
    const plan = planDossierExport(dossier(), 0);
    expect(plan.files.map((f) => [f.kind, f.path])).toEqual([
      ['pdf', 'dossier-42/export-42-10-01-2026-10-00-42.pdf'],
      ['champ', 'dossier-42/pieces_justificatives/_.._etc_passwd-12-01-2026-09-14'],
      ['champ', 'dossier-42/pieces_justificatives/_CON-12-01-2026-09-14.pdf'],
      ['champ', 'dossier-42/pieces_justificatives/devis-12-01-2026-09-14.pdf'],
      ['champ', 'dossier-42/pieces_justificatives/devis-12-01-2026-09-14 (2).pdf'],
      ['annotation', expect.stringMatching(/^dossier-42\/pieces_justificatives\/x+-12-01-2026-09-14\.pdf$/)],
      ['attestation', 'dossier-42/pieces_justificatives/attestation-dossier-42-12-01-2026-09-14.pdf'],
      ['message', 'dossier-42/messagerie/facture-12-01-2026-09-14.pdf'],
      ['motivation', 'dossier-42/dossier/décision-12-01-2026-09-14.pdf'],
      ['avis', 'dossier-42/avis/avis-12-01-2026-09-14.pdf'],
    ]);
    expect(plan.files[0]).toMatchObject({ checksum: null, size: null });
    expect(plan.files[1]).toMatchObject({ size: 1, source: 'API' });
    expect(new Set(plan.files.map((f) => f.key)).size).toBe(plan.files.length);
  });

  it('describes the dossier in dossier.json, files by their ZIP path, without signed URLs', () => {
    const plan = planDossierExport(dossier(), 0);
    const doc = dossierDocument({
      plan,
      exportedAt: new Date('2026-01-15T09:00:00Z'),
      deletion: { date: '2027-01-10T10:00:00+01:00', source: 'api' },
    });
    expect(doc.formatVersion).toBe(1);
    expect(doc.deletion).toEqual({ date: '2027-01-10T10:00:00+01:00', source: 'api' });
    expect(doc.champs[1]!.rows![1]!.champs[0]!.files![0]!.path).toBe(
      'dossier-42/pieces_justificatives/devis-12-01-2026-09-14 (2).pdf',
    );
    expect(doc.avis[0]!.attachments[0]!.path).toBe('dossier-42/avis/avis-12-01-2026-09-14.pdf');
    expect(JSON.stringify(doc)).not.toContain('temp_url_sig');
    expect(doc.traitements).toHaveLength(1);
  });

  it('writes the messagerie as text, oldest first, in Paris time', () => {
    const d = dossier();
    const text = messagerieTranscript({
      dossier: 42,
      messages: d.messages,
      exportedAt: new Date('2026-01-15T09:00:00Z'),
    });
    const first = text.indexOf('03/01/2026 à 10:00 — usager@example.org');
    const second = text.indexOf('08/01/2026 à 10:00 — instructeur@example.gouv.fr');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(text).toContain('Merci,\npièce reçue & validée');
    expect(text).toContain('Demande de correction (dossier incomplet) : en attente');
    expect(text).toContain('Pièce jointe : facture.pdf (absente du ZIP)');
    expect(plainBody('a\u202Eb\u0007c')).toBe('abc');
  });
});

describe('buildDossierZip with a scripted server', () => {
  it('zips what it verified and lists what failed, 404 included', async () => {
    const d = dossier();
    const plan = planDossierExport(d, Date.now());
    const broken = plan.files.find((f) => f.kind === 'avis')!;
    const zip = buildDossierZip({
      plan,
      fetch: fakeFetch({ [broken.url]: 404 }),
      clock: noWait,
      exportedAt: new Date('2026-01-15T09:00:00Z'),
      csvSeparator: ',',
    });
    const entries = unzipSync(new Uint8Array(await new Response(zip.stream).arrayBuffer()));
    const result = await zip.result;
    expect(result.summary).toBe('incomplet (1 fichier)');
    expect(result.missing).toEqual([
      expect.objectContaining({ path: broken.path, reasonText: 'erreur HTTP 404 (fichier introuvable)' }),
    ]);
    expect(entries[broken.path]).toBeUndefined();
    expect(Object.keys(entries)).toHaveLength(plan.files.length - 1 + 3);
    const inventory = new TextDecoder().decode(entries['dossier-42/inventaire.csv']);
    expect(inventory.split('\r\n')[0]).toBe('Chemin,Taille (octets),MD5 (base64),Source,Statut,Raison,Nom d’origine');
    const transcript = new TextDecoder().decode(entries['dossier-42/messagerie.txt']);
    expect(transcript).toContain('Pièce jointe : facture.pdf → dossier-42/messagerie/facture-12-01-2026-09-14.pdf');
    expect(result.files.find((f) => f.path.endsWith('passwd-12-01-2026-09-14'))).toMatchObject({
      status: 'vérifié',
      size: 1,
    });
  });

  it('never hashes a body it did not get whole: a longer body is a size mismatch', async () => {
    const d = dossier();
    const plan = planDossierExport(d, Date.now());
    const target = plan.files.find((f) => f.kind === 'motivation')!;
    const zip = buildDossierZip({
      plan,
      clock: noWait,
      fetch: (async (input: RequestInfo | URL) =>
        String(input) === target.url ? new Response('motivation and more') : fakeFetch()(input)) as typeof fetch,
    });
    await new Response(zip.stream).arrayBuffer();
    const result = await zip.result;
    expect(result.missing.map((m) => m.reasonText)).toEqual(['taille différente (19 octets au lieu de 10 octets)']);
  });

  it('tries a stalled file again, and lists it when it never moves, without holding the others', async () => {
    const plan = planDossierExport(dossier(), Date.now());
    const target = plan.files.find((f) => f.kind === 'motivation')!;
    let stalled = 0;
    const zip = buildDossierZip({
      plan,
      clock: noWait,
      idleTimeoutMs: 30,
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        if (String(input) !== target.url) return fakeFetch()(input);
        stalled++;
        // Headers at once, then not one byte: only the watchdog ends it.
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            init?.signal?.addEventListener('abort', () => controller.error(init.signal!.reason));
          },
        });
        return new Response(body, { headers: { 'Content-Length': '10' } });
      }) as typeof fetch,
    });
    await new Response(zip.stream).arrayBuffer();
    const result = await zip.result;
    expect(stalled).toBe(3);
    expect(result.missing.map((m) => [m.path, m.reasonText])).toEqual([[target.path, 'pas de données pendant 0 s']]);
    expect(result.files.length).toBe(plan.files.length - 1 + 3);
  });

  it('asks once for fresh URLs when that fails, and lists the expired files', async () => {
    const plan = planDossierExport(dossier(), Date.now());
    let refreshes = 0;
    const zip = buildDossierZip({
      plan,
      clock: noWait,
      fetch: (async () => new Response('Temp URL invalid', { status: 401 })) as typeof fetch,
      refreshPlan: async () => {
        refreshes++;
        throw new Error('API down');
      },
    });
    await new Response(zip.stream).arrayBuffer();
    const result = await zip.result;
    expect(refreshes).toBe(1);
    expect(result.missing).toHaveLength(plan.files.length);
    expect(new Set(result.missing.map((m) => m.reasonText))).toEqual(new Set(['lien expiré']));
    expect(result.complete).toBe(false);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const zip = buildDossierZip({
      plan: planDossierExport(dossier(), Date.now()),
      clock: noWait,
      signal: controller.signal,
      fetch: ((_input: RequestInfo | URL, init?: RequestInit) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
        })) as typeof fetch,
    });
    const read = new Response(zip.stream).arrayBuffer();
    controller.abort(new Error('user cancelled'));
    await expect(read).rejects.toThrow();
    await expect(zip.result).rejects.toThrow('user cancelled');
  });
});
