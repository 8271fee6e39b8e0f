import { describe, expect, it } from 'vitest';
import { checkPageReport } from '@/lib/core/sync/check-report';
import { newestMessageAt, readMessages } from '@/lib/ds/read-messages';
import { readPage } from '@/lib/ds/read-page';
import { fixtureDocument, PAGES } from '../fixtures/pages';

/** "Today" in the fixtures: 2026-01-15, Paris (UTC+1 in January). */
const NOW = new Date('2026-01-15T10:00:00+01:00');

/** The three messages of dossier 2351204, as both of DS's pages show them. */
const MESSAGES = [
  {
    author: 'Email automatique',
    // « Le 05/11/2025 16:40 », Paris winter time.
    at: '2025-11-05T15:40:00.000Z',
    body: 'Bonjour,\n\nVotre dossier nº 2351204 est passé en instruction.\n\nBonne journée,\nL’équipe demarche.numerique.gouv.fr',
    attachments: [],
  },
  {
    author: '[Vous] camille.lefebvre',
    at: '2025-11-12T09:02:00.000Z',
    body: 'Bonjour, il manque le budget prévisionnel signé. Merci de le déposer dans la messagerie.',
    attachments: [],
  },
  {
    author: 'Cercle d’Escrime de Nantes',
    at: '2026-01-14T08:31:00.000Z',
    body: 'Bonjour,\n\nvoici le budget prévisionnel signé par notre trésorière.\nCordialement,',
    attachments: ['budget-previsionnel-signe.pdf'],
  },
];

describe('a dossier’s messagerie', () => {
  it('reads every message of the « Messagerie » tab: author, minute, text with its paragraphs, file names', () => {
    expect(readMessages(fixtureDocument('dossierMessagerie'))).toEqual(MESSAGES);
  });

  it('reads the same messages on the print page', () => {
    expect(readMessages(fixtureDocument('dossierPrint'))).toEqual(MESSAGES);
  });

  it('finds none on other pages', () => {
    expect(readMessages(fixtureDocument('dossierEnInstruction'))).toEqual([]);
    expect(newestMessageAt([])).toBeUndefined();
  });

  it('refuses a messagerie it can read only in part, rather than pass it for the whole', () => {
    const doc = fixtureDocument('dossierMessagerie');
    doc.querySelectorAll('span.date')[1]!.textContent = 'il y a 2 jours';
    expect(readMessages(doc)).toBeNull();
    expect(newestMessageAt(null)).toBeUndefined();
  });

  it('names an attachment DS’s antivirus has not passed yet by its bare name', () => {
    const doc = fixtureDocument('dossierMessagerie');
    const download = doc.querySelector('.fr-download')!;
    const pending = doc.createElement('div');
    pending.className = 'attachment-filename fr-mb-1w fr-mr-1w';
    pending.textContent = 'devis-signe.pdf';
    download.replaceWith(pending);
    expect(readMessages(doc)?.[2]?.attachments).toEqual(['devis-signe.pdf']);
  });

  it('keeps a hostile body as text', () => {
    const doc = fixtureDocument('dossierMessagerie');
    const body = doc.querySelectorAll('.rich-text')[2]!;
    body.textContent = '<img src=x onerror=alert(1)> & co';
    expect(readMessages(doc)?.[2]?.body).toBe('<img src=x onerror=alert(1)> & co');
  });
});

describe('page reports with the newest message', () => {
  it('on the « Messagerie » tab, with what the header shows', () => {
    const report = readPage(fixtureDocument('dossierMessagerie'), PAGES.dossierMessagerie.url, NOW)!;
    expect(report.dossiers).toEqual([
      {
        number: 2351204,
        demarche: 104532,
        state: 'en_instruction',
        neverExpires: true,
        label: 'Cercle d’Escrime de Nantes',
        lastMessageAt: '2026-01-14T08:31:00.000Z',
      },
    ]);
    expect(checkPageReport(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });

  it('not on the dossier’s other tabs, which show no message', () => {
    const report = readPage(fixtureDocument('dossierEnInstruction'), PAGES.dossierEnInstruction.url, NOW)!;
    expect(report.dossiers[0]).not.toHaveProperty('lastMessageAt');
  });

  it('on the print page, which shows no header: only the dossier and its newest message', () => {
    const report = readPage(fixtureDocument('dossierPrint'), PAGES.dossierPrint.url, NOW)!;
    expect(report).toEqual({
      origin: 'https://demarche.numerique.gouv.fr',
      url: PAGES.dossierPrint.url,
      seenAt: '2026-01-15T09:00:00.000Z',
      demarches: [],
      dossiers: [{ number: 2351204, demarche: 104532, lastMessageAt: '2026-01-14T08:31:00.000Z' }],
    });
  });
});
