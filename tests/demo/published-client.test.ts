import { createHash } from 'node:crypto';
import { DsApiClient, DsApiError } from '@dnum-mi/ds-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { start } from './helpers';

/**
 * The demo against a DS client nobody here wrote: `@dnum-mi/ds-api-client` (npm, the Ministry of the
 * Interior's), used unchanged. Its queries validate on DS's schema; before the demo served DS's
 * deprecated fields and the champ types it never produces, half of them failed here.
 */
describe('a published DS client (@dnum-mi/ds-api-client) against the demo', () => {
  let demo: DemoInstance;
  let client: DsApiClient;
  /** Small pages, so every démarche takes several. */
  const PAGE = 7;

  beforeAll(async () => {
    demo = await start({ demarches: 3, dossiers: 60, attachmentKb: 8 });
    client = new DsApiClient(`${demo.url}/api/v2/graphql`, demo.token);
  });
  afterAll(() => demo.close());

  /** Every dossier number of a démarche, paged with the client's own cursor helper. */
  async function pageThrough(of: DsApiClient, demarche: number): Promise<{ numbers: number[]; pages: number }> {
    const numbers: number[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const { demarche: found } = await of.demarcheDossierIds(demarche, undefined, PAGE, after);
      const connection = found.dossiers!;
      pages++;
      numbers.push(...(connection.nodes ?? []).map((node) => node!.number));
      if (!connection.pageInfo.hasNextPage) return { numbers, pages };
      after = connection.pageInfo.endCursor ?? undefined;
    }
  }

  const visibleOf = (demarche: number) =>
    demo.admin
      .dossiers({ demarche })
      .filter((d) => d.visible)
      .map((d) => d.number);

  it('pages through every démarche the token reaches and gets every dossier, once', async () => {
    let total = 0;
    for (const { number } of demo.demarches) {
      const { numbers, pages } = await pageThrough(client, number);
      const expected = visibleOf(number);
      expect(new Set(numbers).size, 'no dossier twice').toBe(numbers.length);
      expect([...numbers].sort()).toEqual([...expected].sort());
      expect(pages).toBe(Math.ceil(expected.length / PAGE));
      total += numbers.length;
    }
    expect(total).toBe(demo.admin.dossiers({}).filter((d) => d.visible).length);
    expect(total).toBeGreaterThan(40);
  });

  it('reads each démarche whole (first page), its deleted dossiers and each dossier as DS describes them', async () => {
    for (const { number } of demo.demarches) {
      const { demarche } = await client.demarche(number);
      expect(demarche.number).toBe(number);
      const listed = (await client.demarcheDossiers(number)).demarche.dossiers!.nodes!.map((d) => d!.number);
      expect([...listed].sort()).toEqual([...visibleOf(number)].sort());
      const deleted = (await client.demarcheDeletedDossiers(number)).demarche.deletedDossiers!.nodes!;
      expect(deleted.map((d) => d!.number).sort()).toEqual(
        demo.admin
          .deletedDossiers(number)
          .map((d) => d.number)
          .sort(),
      );
    }
    for (const summary of demo.admin.dossiers({}).filter((d) => d.visible)) {
      const { dossier } = await client.dossier(summary.number);
      expect({ number: dossier.number, state: dossier.state }).toEqual({
        number: summary.number,
        state: summary.state,
      });
    }
  });

  it('lists each dossier’s files, whose bytes match their checksum and size', async () => {
    let checked = 0;
    for (const summary of demo.admin.dossiers({ demarche: demo.demarches[0]!.number }).filter((d) => d.visible)) {
      const { dossier } = await client.DossierFiles(summary.number);
      for (const file of filesIn(dossier)) {
        const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
        expect(createHash('md5').update(bytes).digest('base64'), file.filename).toBe(file.checksum);
        expect(bytes.length).toBe(Number(file.byteSizeBigInt));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('is refused, as by DS, the démarches outside a narrower token', async () => {
    const [readable, other] = demo.demarches;
    const scoped = new DsApiClient(
      `${demo.url}/api/v2/graphql`,
      demo.admin.createToken({ demarches: [readable!.number] }).bearer,
    );
    const { numbers } = await pageThrough(scoped, readable!.number);
    expect([...numbers].sort()).toEqual([...visibleOf(readable!.number)].sort());
    const refusal = await scoped.demarcheDossierIds(other!.number, undefined, PAGE).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DsApiError);
    expect((refusal as DsApiError).graphQlResponse.errors[0].extensions.code).toBe('unauthorized');
  });
});

interface ListedFile {
  filename: string;
  url: string;
  checksum: string;
  byteSizeBigInt: string;
}

/** Every file object anywhere in what the client returned (champs, rows, annotations, attestation…). */
function filesIn(value: unknown, found: ListedFile[] = []): ListedFile[] {
  if (Array.isArray(value)) for (const item of value) filesIn(item, found);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.checksum === 'string' && typeof record.url === 'string') found.push(record as never);
    else for (const item of Object.values(record)) filesIn(item, found);
  }
  return found;
}
