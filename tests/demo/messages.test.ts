import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { Browser, graphql, readZip, start } from './helpers';

/**
 * A message posted through the admin endpoint, as its usager would on DS: it is on the dossier's
 * « Messagerie » tab and print page, in the API's `messages` and `updatedSince`, its file on the
 * storage host and in DS's ZIP under `messagerie/`, and its followers see DS's « Message ».
 */

const MESSAGES = `query messages($number: Int!) {
  dossier(number: $number) {
    dateDerniereModification
    messages { id email body createdAt attachments { filename checksum byteSizeBigInt url } }
  }
}`;

const UPDATED = `query updated($demarche: Int!, $since: ISO8601DateTime) {
  demarche(number: $demarche) { dossiers(updatedSince: $since, first: 100) { nodes { number } } }
}`;

interface ApiMessage {
  id: string;
  email: string;
  body: string;
  createdAt: string;
  attachments: { filename: string; checksum: string; byteSizeBigInt: string; url: string }[];
}

describe('a message posted on a dossier', () => {
  let demo: DemoInstance;
  let browser: Browser;

  beforeEach(async () => {
    demo = await start({ dossiers: 30 });
    browser = new Browser(demo);
    await browser.signIn();
  });
  afterEach(() => demo.close());

  /** A processed dossier the instructeur follows, in « traités » (not « à archiver »: DS's messagerie is open). */
  function followed(): { number: number; demarche: number } {
    const [demarche] = demo.demarches;
    const summary = demo.admin.addDossier({
      demarche: demarche!.number,
      state: 'accepte',
      processedAt: '2025-12-10T10:00:00+01:00',
      followedByMe: true,
    });
    return { number: summary.number, demarche: summary.demarche };
  }

  const post = (number: number, body: unknown) =>
    fetch(`${demo.url}/__demo/dossiers/${number}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('touches the dossier: a new updated_at, seen by the API’s updatedSince', async () => {
    const { number, demarche } = followed();
    demo.clock.set('2026-01-16T09:31:20+01:00');
    const response = await post(number, { body: 'Voici le budget signé.' });
    expect(response.status).toBe(200);
    // The demo's clock keeps ticking from where it was set, as a server's does.
    expect(await response.json()).toMatchObject({
      number,
      updatedAt: expect.stringMatching(/^2026-01-16T08:31:2\d\./),
    });
    const { body } = await graphql<{ demarche: { dossiers: { nodes: { number: number }[] } } }>(demo, {
      query: UPDATED,
      variables: { demarche, since: '2026-01-16T09:00:00+01:00' },
    });
    expect(body.data?.demarche.dossiers.nodes.map((n) => n.number)).toEqual([number]);
  });

  it('is in the API’s messages, its file on the storage host with DS’s checksum', async () => {
    const { number } = followed();
    demo.clock.set('2026-01-16T09:31:20+01:00');
    await post(number, { body: 'Voici le budget signé.', attachment: { filename: 'budget-signe.pdf', kb: 40 } });
    const { body } = await graphql<{ dossier: { dateDerniereModification: string; messages: ApiMessage[] } }>(demo, {
      query: MESSAGES,
      variables: { number },
    });
    const last = body.data!.dossier.messages.at(-1)!;
    const summary = demo.admin.dossier(number)!;
    expect(last).toMatchObject({ email: summary.usagerEmail, body: 'Voici le budget signé.' });
    expect(new Date(last.createdAt).toISOString()).toBe('2026-01-16T08:31:20.000Z');
    expect(new Date(body.data!.dossier.dateDerniereModification).toISOString()).toBe('2026-01-16T08:31:20.000Z');
    expect(last.attachments).toHaveLength(1);
    const file = last.attachments[0]!;
    expect(file.filename).toBe('budget-signe.pdf');
    expect(Number(file.byteSizeBigInt)).toBe(40 * 1024);
    const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('md5').update(bytes).digest('base64')).toBe(file.checksum);
  });

  it('is in DS’s ZIP of the dossier, under messagerie/ with DS’s timestamped name', async () => {
    const { number, demarche } = followed();
    demo.clock.set('2026-01-16T09:31:20+01:00');
    await post(number, { body: 'Pièce jointe.', attachment: { filename: 'budget-signe.pdf' } });
    const response = await browser.request(`/procedures/${demarche}/dossiers/${number}/telecharger_pjs`);
    expect(response.status).toBe(200);
    const names = readZip(Buffer.from(await response.arrayBuffer())).map((f) => f.name);
    expect(names.filter((n) => n.includes('/messagerie/budget-signe'))).toEqual([
      expect.stringMatching(new RegExp(`^dossier-${number}/messagerie/budget-signe-16-01-2026-09-31-\\d{1,4}\\.pdf$`)),
    ]);
  });

  it('shows on the « Messagerie » tab and the print page as DS renders them', async () => {
    const { number, demarche } = followed();
    demo.clock.set('2026-01-16T09:31:20+01:00');
    await post(number, {
      body: 'Bonjour,\n\nvoici le budget signé.\nCordialement,',
      attachment: { filename: 'budget-signe.pdf' },
    });
    const summary = demo.admin.dossier(number)!;
    for (const path of [
      `/procedures/${demarche}/traites/dossiers/${number}/messagerie`,
      `/procedures/${demarche}/dossiers/${number}/print`,
    ]) {
      const page = await browser.page(path);
      const items = [...page.querySelectorAll('.messagerie ol.messages-list > li > div.width-100')];
      const last = items.at(-1)!;
      // The usager's messages are signed with the demandeur's name (`demandeur_dossier`), not the e-mail.
      expect(last.querySelector('span.mail')?.textContent?.trim(), path).not.toBe(summary.usagerEmail);
      expect(last.querySelector('span.date')?.textContent?.trim(), path).toBe('Le 16/01/2026 09:31');
      expect(
        [...last.querySelectorAll('.rich-text p')].map((p) => p.textContent),
        path,
      ).toEqual(['Bonjour,', 'voici le budget signé.\nCordialement,']);
      const link = last.querySelector('a.fr-download__link')!;
      expect(link.getAttribute('download'), path).toBe('budget-signe.pdf');
      expect(link.querySelector('.fr-download__detail')?.textContent?.trim(), path).toMatch(/^PDF – \d+(,\d+)? ko$/);
    }
  });

  it('gives its followers DS’s « Message », which opening the tab clears and the print page does not', async () => {
    const { number, demarche } = followed();
    const other = demo.admin.addDossier({
      demarche: demarche,
      state: 'accepte',
      processedAt: '2025-12-10T10:00:00+01:00',
    });
    await post(number, { body: 'Une question.' });
    await post(other.number, { body: 'Une autre question.' });
    const badges = async (n: number) => {
      const list = await browser.page(`/procedures/${demarche}/traites`);
      return [...list.querySelectorAll(`#table-dossiers-row-${n} td.fr-cell--numeric span.fr-badge--new`)].map((b) =>
        b.textContent?.trim(),
      );
    };
    expect(await badges(number)).toEqual(['Message']);
    // Nobody follows the other one: DS notifies no one.
    expect(await badges(other.number)).toEqual([]);
    await browser.page(`/procedures/${demarche}/dossiers/${number}/print`);
    expect(await badges(number)).toEqual(['Message']);
    await browser.page(`/procedures/${demarche}/traites/dossiers/${number}/messagerie`);
    expect(await badges(number)).toEqual([]);
  });

  it('is refused where DS’s messagerie is closed, or without a body', async () => {
    const { number } = followed();
    expect((await post(number, { body: '  ' })).status).toBe(400);
    expect((await post(999_999, { body: 'x' })).status).toBe(400);
    expect((await post(number, { body: 'x', attachment: { filename: 'big.pdf', kb: 30_000 } })).status).toBe(400);
    const archived = demo.admin.addDossier({
      demarche: demo.demarches[0]!.number,
      state: 'accepte',
      processedAt: '2025-12-10T10:00:00+01:00',
      archived: true,
    });
    const refused = await post(archived.number, { body: 'x' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: 'Il n’est pas possible d’envoyer un message sur un dossier supprimé, à archiver ou en brouillon',
    });
    // Nothing was posted: the dossier was not touched.
    expect(demo.admin.dossier(archived.number)?.updatedAt).toBe(archived.updatedAt);
  });

  it('is the same through the programmatic admin API', () => {
    const { number } = followed();
    const before = demo.admin.dossier(number)!.updatedAt;
    demo.clock.advance(60_000);
    const after = demo.admin.postMessage(number, { body: 'Par l’API du démo.' });
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before));
  });
});
