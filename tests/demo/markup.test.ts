import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { startDemo } from '../../demo/instance';

/** `/__demo/markup`: DS's list and dossier pages as a future DS might draw them, and back. */

let demo: DemoInstance;
let cookie: string;
beforeAll(async () => {
  demo = await startDemo({ port: 0, dossiers: 12, demarches: 1 });
  cookie = demo.admin.sessionCookie();
});
afterAll(() => demo.close());

const number = () => demo.demarches[0]!.number;
const page = async (path: string) => (await fetch(`${demo.url}${path}`, { headers: { cookie } })).text();
const list = () => page(`/procedures/${number()}/tous`);
const setMarkup = (variant: string | null) =>
  fetch(`${demo.url}/__demo/markup`, { method: 'POST', body: JSON.stringify({ variant }) });

describe('markup variants', () => {
  it('serves DS’s own markup by default', async () => {
    const html = await list();
    expect(html).toContain('id="table-dossiers"');
    expect(html).toContain('class="fr-tabs mt-3"');
    expect(html).not.toContain('a-relancer');
    expect(await (await fetch(`${demo.url}/__demo/markup`)).json()).toEqual({ variant: null });
  });

  it('renames classes on lists and dossier pages', async () => {
    expect((await setMarkup('renamed-classes')).status).toBe(200);
    const html = await list();
    expect(html).toContain('class="fr-tabs-v2 mt-3"');
    expect(html).toContain('fr-tabs-v2__tab');
    expect(html).toContain('fr-cell--number"');
    expect(html).not.toMatch(/class="[^"]*\bfr-cell--numeric\b/);
    const dossier = demo.admin.dossiers({ demarche: number(), statut: 'tous' })[0]!.number;
    const page2 = await page(`/procedures/${number()}/tous/dossiers/${dossier}`);
    expect(page2).toContain('fr-badges');
    expect(page2).not.toMatch(/class="[^"]*\bfr-badge-group\b/);
  });

  it('drops the table, renames the fixed columns, adds a tab', async () => {
    demo.markup.set('no-table');
    expect(await list()).not.toContain('id="table-dossiers"');
    demo.markup.set('unknown-columns');
    const columns = await list();
    expect(columns).toContain('>Numéro</button>');
    expect(columns).not.toContain('>État du dossier</button>');
    await setMarkup('new-tab');
    expect(await list()).toContain(`href="/procedures/${number()}/a-relancer">à relancer</a>`);
  });

  it('refuses an unknown variant, and goes back to DS’s markup', async () => {
    expect((await setMarkup('purple')).status).toBe(400);
    await fetch(`${demo.url}/__demo/markup`, { method: 'DELETE' });
    expect(demo.markup.variant).toBeNull();
    expect(await list()).toContain('id="table-dossiers"');
  });
});
