import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoInstance } from '../../demo/instance';
import { fixtureHtml, type PageName } from '../fixtures/pages';
import { Browser, parseHtml, pdfText, readZip, start } from './helpers';

const SUBVENTION = 104532; // 12 months, "Date d’expiration" column shown
const STATIONNEMENT = 98211; // 6 months, no expiration column
const ECOLES = 110987; // processed dossiers never expire: no "expirants" tab

const text = (element: Element | null | undefined) => element?.textContent?.trim() ?? '';

describe('sign-in and session', () => {
  let demo: DemoInstance;
  beforeAll(async () => {
    demo = await start();
  });
  afterAll(() => demo.close());

  it('redirects a logged-out visitor to DS’s sign-in form, then back where they were going', async () => {
    const browser = new Browser(demo);
    const redirected = await browser.request(`/procedures/${SUBVENTION}/tous`);
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe('/users/sign_in');
    const form = await browser.page('/users/sign_in');
    expect(form.querySelector('form#new_user[action="/users/sign_in"][method="post"]')).not.toBeNull();
    expect(text(form.querySelector('#flash_messages .alert-danger'))).toBe(
      'Vous devez vous connecter ou vous inscrire pour continuer.',
    );
    const signedIn = await browser.signIn();
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(`/procedures/${SUBVENTION}/tous`);
    const cookie = signedIn.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^_DS_session=[0-9a-f]+; path=\/; HttpOnly; SameSite=Lax$/);
    const page = await browser.page(`/procedures/${SUBVENTION}/tous`);
    expect(text(page.querySelector('button.account-btn > span.fr-mr-1w'))).toBe(demo.login.email);
  });

  it('rejects a wrong password (422) and a sign-in without the CSRF token', async () => {
    const browser = new Browser(demo);
    const wrong = await browser.signIn(demo.login.email, 'nope');
    expect(wrong.status).toBe(422);
    expect(text(parseHtml(await wrong.text()).querySelector('.alert-danger'))).toBe(
      'Adresse électronique ou mot de passe incorrect.',
    );
    const forged = await browser.post('/users/sign_in', {
      'user[email]': demo.login.email,
      'user[password]': demo.login.password,
    });
    expect(forged.status).toBe(422);
  });

  it('signs out with DELETE /users/sign_out', async () => {
    const browser = new Browser(demo);
    await browser.signIn();
    const page = await browser.page('/procedures');
    const token = page.querySelector('meta[name="csrf-token"]')!.getAttribute('content')!;
    const out = await browser.post('/users/sign_out', { _method: 'delete', authenticity_token: token });
    expect(out.status).toBe(303);
    expect((await browser.request('/procedures')).status).toBe(302);
  });
});

/**
 * The demo renders the same markup as DS: every selector below matches the project's fixtures
 * (written from DS's templates) and the demo's page of the same kind.
 */
describe('pages match DS’s markup', () => {
  let demo: DemoInstance;
  let browser: Browser;
  beforeAll(async () => {
    demo = await start({ dossiers: 600 });
    browser = new Browser(demo);
    await browser.signIn();
  });
  afterAll(() => demo.close());

  const EVERY_PAGE = [
    'meta[name="csrf-param"][content="authenticity_token"]',
    'meta[name="csrf-token"]',
    'button.account-btn > span.fr-mr-1w',
    'button.account-btn > span.fr-badge.fr-badge--yellow-tournesol',
    '#header-navigation a.fr-nav__link[href="/procedures"][aria-current="true"]',
    '#search-modal input[name="context"][value="instructeur"]',
    'main#contenu > #flash_messages > #flash_message',
    'body[data-controller~="turbo"]',
  ];

  const parity = async (fixture: PageName, path: string, selectors: string[]) => {
    const expected = parseHtml(fixtureHtml(fixture));
    const actual = await browser.page(path);
    for (const selector of [...EVERY_PAGE, ...selectors]) {
      expect(expected.querySelector(selector), `fixture ${fixture}: ${selector}`).not.toBeNull();
      expect(actual.querySelector(selector), `${path}: ${selector}`).not.toBeNull();
    }
    return actual;
  };

  it('/procedures', async () => {
    const page = await parity('procedures', '/procedures', [
      'nav.fr-tabs[aria-label="Démarches"] a.fr-tabs__tab[aria-current="page"]',
      'ul.procedure-list[data-controller="stream-loader"][data-stream-loader-url-value="/procedures/counters"] > li',
      'ul.procedure-list > li h3.card-title > a[href^="/procedures/"]',
      `#mega-menu-${SUBVENTION}`,
      `ul.procedure-stats #procedure-${SUBVENTION}-a-suivre-count`,
      `ul.procedure-stats #procedure-${SUBVENTION}-followed-count`,
      `ul.procedure-stats #procedure-${SUBVENTION}-termines-count`,
      `ul.procedure-stats #procedure-${SUBVENTION}-dossier-count`,
      `ul.procedure-stats #procedure-${SUBVENTION}-expirant-count`,
      `ul.procedure-stats a[href="/procedures/${SUBVENTION}/supprimes"]`,
    ]);
    expect(page.querySelectorAll('ul.procedure-list > li')).toHaveLength(3);
    expect(page.querySelector(`#procedure-${ECOLES}-expirant-count`)).toBeNull();
    const tous = demo.admin.dossiers({ demarche: SUBVENTION, statut: 'tous' }).length;
    expect(text(page.querySelector(`#procedure-${SUBVENTION}-dossier-count`))).toBe(String(tous));
    const expirant = demo.admin.dossiers({ demarche: SUBVENTION, statut: 'expirant' }).length;
    expect(text(page.querySelector(`#procedure-${SUBVENTION}-expirant-count`))).toBe(String(expirant));
  });

  it('the dossier list, 100 rows a page, Kaminari pagination', async () => {
    const tous = demo.admin.dossiers({ demarche: SUBVENTION, statut: 'tous' });
    expect(tous.length).toBeGreaterThan(100);
    const page = await parity('dossierList', `/procedures/${SUBVENTION}/tous`, [
      '#procedure-show .procedure-header h1',
      '#procedure-show nav.fr-tabs li.relative.active > a.fr-tabs__tab[aria-current="page"][href$="/tous"]',
      '#procedure-show nav.fr-tabs a.fr-tabs__tab[href$="/expirant"] > span.fr-badge.fr-badge--blue-ecume',
      '#procedure-show nav.fr-tabs a.fr-tabs__tab.fr-icon-delete-line[href$="/supprimes"]',
      'table#table-dossiers.dossiers-table > thead > tr > th.number-col',
      '#table-dossiers > thead > tr > th.follow-col',
      '#table-dossiers > tbody > tr#js_batch_select_more.hidden:first-child',
      '#table-dossiers > tbody > tr[data-row-key]',
      'td.fr-cell--numeric > a.fr-link.relative[href]',
      'td.fr-cell--numeric > div.fr-mt-1v > span.fr-badge',
      'td > a > span.fr-badge',
      'td.follow-col ul.fr-btns-group form.button_to input[name="authenticity_token"]',
      'input[name="batch_operation[dossier_ids][]"][value]',
      '#new_batch_operation',
      '#download_menu_button',
      '#download_menu.dropdown-export form[action*="/download_export"] input[name="export_format"][value="csv"]',
      '#custom-menu_button',
      '#editable-filters-component',
      '#last-export-alert',
      'span.fr-h6 > span.fr-text--sm',
      '.fr-table__footer p.fr-table__detail',
      'nav.fr-pagination a.fr-pagination__link[aria-current="page"]',
      'nav.fr-pagination a.fr-pagination__link[href$="?page=2"]',
    ]);
    expect(page.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]')).toHaveLength(100);
    expect(text(page.querySelector('span.fr-h6'))).toBe(`1 - 100 sur ${tous.length} dossiers`);
    const rows = [...page.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]')];
    const link = rows[0]!.querySelector('td.fr-cell--numeric > a')!.getAttribute('href');
    expect(link).toBe(`/procedures/${SUBVENTION}/tous/dossiers/${rows[0]!.getAttribute('data-row-key')}`);

    const lastPage = Math.ceil(tous.length / 100);
    const last = await browser.page(`/procedures/${SUBVENTION}/tous?page=${lastPage}`);
    expect(last.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]')).toHaveLength(
      tous.length - (lastPage - 1) * 100,
    );
    expect(text(last.querySelector('nav.fr-pagination a[aria-current="page"]'))).toBe(String(lastPage));
    const all = new Set<string>();
    for (let n = 1; n <= lastPage; n++) {
      const listed = await browser.page(`/procedures/${SUBVENTION}/tous${n > 1 ? `?page=${n}` : ''}`);
      for (const row of listed.querySelectorAll('tr[data-row-key]')) all.add(row.getAttribute('data-row-key')!);
    }
    expect([...all].map(Number).sort()).toEqual(tous.map((d) => d.number).sort());
  });

  it('the expirant tab: terminé dossiers only, with "Conserver un mois de plus" on every row', async () => {
    const page = await parity('dossierListExpirant', `/procedures/${SUBVENTION}/expirant`, [
      '#procedure-show nav.fr-tabs a.fr-tabs__tab[aria-current="page"][href$="/expirant"]',
      `td.follow-col form.button_to[action^="/procedures/${SUBVENTION}/a-suivre/dossiers/"][action$="/repousser-expiration"]`,
      '#new_batch_operation button[name="batch_operation[operation]"][value="repousser_expiration"]',
    ]);
    const rows = page.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]');
    expect(rows.length).toBe(demo.admin.dossiers({ demarche: SUBVENTION, statut: 'expirant' }).length);
    for (const row of rows) {
      const badges = [...row.querySelectorAll('td.fr-cell--numeric .fr-badge')].map(text);
      const expire = badges.filter((b) => /^Expire dans \d+ J\.$/.test(b));
      // As on DS, the badge waits for the daily job that sends the notice.
      const summary = demo.admin.dossier(Number(row.getAttribute('data-row-key')))!;
      expect(expire).toEqual(summary.noticeSentAt ? [`Expire dans ${summary.daysLeft} J.`] : []);
      expect(row.querySelector('form[action$="/repousser-expiration"]')).not.toBeNull();
      // Since June 2026 en construction dossiers never expire, whatever their old date.
      expect(['accepte', 'refuse', 'sans_suite']).toContain(summary.state);
    }
  });

  it('the corbeille, with plain numbers and "Suppression dans N J."', async () => {
    const page = await parity('dossierListCorbeille', `/procedures/${SUBVENTION}/supprimes`, [
      'td.fr-cell--numeric > span',
      'form.button_to[action$="/repousser-expiration-and-restore"]',
    ]);
    const expired = demo.admin
      .dossiers({ demarche: SUBVENTION, statut: 'supprimes' })
      .filter((d) => d.hiddenReason === 'expired');
    for (const dossier of expired) {
      const row = page.querySelector(`tr[data-row-key="${dossier.number}"]`)!;
      expect(text(row.querySelector('td.fr-cell--numeric > span'))).toBe(String(dossier.number));
      expect(text(row.querySelector('.fr-badge--warning'))).toMatch(/^Suppression dans \d+ J\.$/);
    }
  });

  it('shows the "Date d’expiration" column only where the instructeur added it', async () => {
    const withColumn = await browser.page(`/procedures/${SUBVENTION}/tous`);
    const headers = [...withColumn.querySelectorAll('#table-dossiers > thead th')].map(text);
    const index = headers.indexOf('Date d’expiration');
    expect(index).toBeGreaterThan(0);
    let residual = 0;
    for (const row of withColumn.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]')) {
      const summary = demo.admin.dossier(Number(row.getAttribute('data-row-key')))!;
      const cell = text(row.children[index]);
      if (summary.expiredAt) expect(cell).toMatch(/^\d{2} [a-zéû]+ \d{4} \d{2}:\d{2}$/);
      else expect(cell).toBe('');
      // The column shows the stored expired_at, residual values of en construction dossiers included.
      if (summary.state === 'en_construction' && summary.expiredAt) residual += 1;
    }
    expect(residual).toBeGreaterThan(0);
    const without = await browser.page(`/procedures/${STATIONNEMENT}/tous`);
    expect([...without.querySelectorAll('#table-dossiers > thead th')].map(text)).not.toContain('Date d’expiration');
    const ecoles = await browser.page(`/procedures/${ECOLES}`);
    expect(ecoles.querySelector('a.fr-tabs__tab[href$="/expirant"]')).toBeNull();
    expect(ecoles.querySelectorAll('nav.fr-tabs a.fr-tabs__tab')).toHaveLength(6);
  });

  it('the dossier page of an en instruction dossier, without the "n’expirera pas" line since June 2026', async () => {
    const dossier = demo.admin.dossiers({ demarche: SUBVENTION, state: 'en_instruction' }).find((d) => d.visible)!;
    const page = await parity('dossierEnInstruction', `/procedures/${SUBVENTION}/tous/dossiers/${dossier.number}`, [
      '#header-top h1',
      '#header-top > p.fr-text--bold',
      '#header-top .fr-badge-group > span.fr-badge',
      '#header-top .back-btn',
      '#header-top .header-actions li.instruction-button',
      '#header-top .header-actions li.en-construction-menu #menu-en-construction',
      '#print-pj-menu a[href$="/telecharger_pjs"]',
      '#print-menu a[href$=".pdf"]',
      '#print-menu a[href$="/print"]',
      '#header-bottom nav.fr-tabs a.fr-tabs__tab[aria-current="page"]',
    ]);
    expect(text(page.querySelector('#header-top h1'))).toMatch(new RegExp(`^Dossier n° ${dossier.number} – .+`));
    // PR #13248 removed the en instruction line.
    expect(page.querySelector('p.expires_at_en_instruction')).toBeNull();
    expect(page.querySelector('p.expires_at')).toBeNull();
    expect(page.querySelector('#print-pj-menu a')!.getAttribute('href')).toBe(
      `/procedures/${SUBVENTION}/dossiers/${dossier.number}/telecharger_pjs`,
    );
    expect(page.querySelector('#print-menu a[href$=".pdf"]')!.getAttribute('href')).toBe(
      `/procedures/${SUBVENTION}/tous/dossiers/${dossier.number}.pdf`,
    );
  });

  it('the dossier page of an accepted dossier close to expiration, with DS’s exact texts', async () => {
    const dossier = demo.admin.dossiers({ demarche: SUBVENTION, state: 'accepte', statut: 'expirant' })[0]!;
    const page = await parity('dossierExpirant', `/procedures/${SUBVENTION}/expirant/dossiers/${dossier.number}`, [
      '#header-top p.expires_at',
      '#header-top .fr-callout.fr-callout--brown-caramel > .fr-callout__title',
      '#header-top ul.fr-badge-group span.fr-badge',
      '#header-top .header-actions form.button_to[action$="/repousser-expiration"]',
    ]);
    const date = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short' }).format(
      new Date(dossier.expiredAt!),
    );
    // The locale file's double space before "(" for accepté and refusé.
    expect(text(page.querySelector('p.expires_at'))).toBe(
      `Expirera le ${date}  (12 mois après le traitement du dossier)`,
    );
    expect(text(page.querySelector('.fr-callout__title'))).toBe('Ce dossier va expirer');
    expect(text(page.querySelector('#header-top ul.fr-badge-group .fr-badge'))).toBe(
      `Expire dans ${dossier.daysLeft} J.`,
    );
  });

  it('the sign-in page', async () => {
    const signIn = parseHtml(fixtureHtml('signIn'));
    const page = await new Browser(demo).page('/users/sign_in');
    for (const selector of [
      'form#new_user[action="/users/sign_in"][method="post"] input[name="authenticity_token"]',
      'form#new_user input#user_email[type="email"][name="user[email]"]',
      'form#new_user input#user_password[type="password"][name="user[password]"]',
      'form#new_user input[type="submit"][value="Se connecter"]',
      'meta[name="csrf-token"]',
    ]) {
      expect(signIn.querySelector(selector), `fixture: ${selector}`).not.toBeNull();
      expect(page.querySelector(selector), selector).not.toBeNull();
    }
    expect(page.querySelector('button.account-btn')).toBeNull();
  });
});

/** DS's pages before June 2026 (and forks that kept its rules): en construction dossiers expire. */
describe('pages under the 2025 rules', () => {
  let demo: DemoInstance;
  let browser: Browser;
  beforeAll(async () => {
    demo = await start({ dossiers: 120, rules: '2025' });
    browser = new Browser(demo);
    await browser.signIn();
  });
  afterAll(() => demo.close());

  it('the dossier page of an en instruction dossier says it will not expire', async () => {
    const expected = parseHtml(fixtureHtml('dossierEnInstruction'));
    expect(expected.querySelector('#header-top p.expires_at_en_instruction')).not.toBeNull();
    const dossier = demo.admin.dossiers({ demarche: SUBVENTION, state: 'en_instruction' }).find((d) => d.visible)!;
    const page = await browser.page(`/procedures/${SUBVENTION}/tous/dossiers/${dossier.number}`);
    expect(text(page.querySelector('#header-top p.expires_at_en_instruction'))).toBe(
      'Ce dossier est en instruction, il n’expirera pas',
    );
    // Only where processed dossiers expire (`procedure_expires_when_termine_enabled`).
    const ecoles = demo.admin.dossiers({ demarche: ECOLES, state: 'en_instruction' }).find((d) => d.visible)!;
    const other = await browser.page(`/procedures/${ECOLES}/tous/dossiers/${ecoles.number}`);
    expect(other.querySelector('p.expires_at_en_instruction')).toBeNull();
  });

  it('the dossier page of an en construction dossier: DS’s text and the callout button', async () => {
    const dossier = demo.admin.dossiers({ demarche: STATIONNEMENT, state: 'en_construction', statut: 'expirant' })[0]!;
    const page = await browser.page(`/procedures/${STATIONNEMENT}/a-suivre/dossiers/${dossier.number}`);
    expect(text(page.querySelector('p.expires_at'))).toMatch(
      /^Expirera le \d\d\/\d\d\/\d{4} \(6 mois après le dépôt du dossier\)$/,
    );
    expect(page.querySelector('.fr-callout button#test-instructeur-repousser-expiration')).not.toBeNull();
    expect(page.querySelector('p.expires_at_en_construction')).toBeNull();
  });

  it('the expirant tab lists en construction dossiers too', async () => {
    const page = await browser.page(`/procedures/${SUBVENTION}/expirant`);
    const rows = [...page.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]')];
    const states = rows.map((row) => demo.admin.dossier(Number(row.getAttribute('data-row-key')))!.state);
    expect(states).toContain('en_construction');
    expect(states.some((s) => s !== 'en_construction')).toBe(true);
    const procedures = await browser.page('/procedures');
    expect(text(procedures.querySelector(`#procedure-${SUBVENTION}-expirant-count`))).toBe(String(rows.length));
  });
});

describe('actions and downloads', () => {
  let demo: DemoInstance;
  let browser: Browser;
  beforeAll(async () => {
    demo = await start({ exportDelayMs: 60_000 });
    browser = new Browser(demo);
    await browser.signIn();
  });
  afterAll(() => demo.close());

  it('"Conserver un mois de plus" needs the CSRF token, adds a month and moves updated_at', async () => {
    const dossier = demo.admin.dossiers({ demarche: SUBVENTION, statut: 'expirant' })[0]!;
    const path = `/procedures/${SUBVENTION}/a-suivre/dossiers/${dossier.number}/repousser-expiration`;
    expect((await browser.post(path, {})).status).toBe(422);

    const list = await browser.page(`/procedures/${SUBVENTION}/expirant`);
    const form = list.querySelector(`form[action="${path}"]`)!;
    const token = form.querySelector<HTMLInputElement>('input[name="authenticity_token"]')!.value;
    const response = await browser.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        referer: `${demo.url}/procedures/${SUBVENTION}/expirant`,
      },
      body: new URLSearchParams({ authenticity_token: token }).toString(),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${demo.url}/procedures/${SUBVENTION}/expirant`);

    const after = demo.admin.dossier(dossier.number)!;
    expect(after.conservationExtensionMonths).toBe(1);
    expect(after.noticeSentAt).toBeNull();
    expect(after.updatedAt).not.toBe(dossier.updatedAt);
    expect(new Date(after.expiredAt!).getTime()).toBeGreaterThan(new Date(dossier.expiredAt!).getTime());
    const page = await browser.page(`/procedures/${SUBVENTION}/tous/dossiers/${dossier.number}`);
    expect(text(page.querySelector('#flash_messages .alert-success'))).toBe(
      'Le dossier sera conservé 1 mois supplémentaire',
    );
    expect(text(page.querySelector('p.expires_at'))).toContain('(13 mois après');
    expect(text(page.querySelector('p.expires_at'))).toContain(' – la date de conservation a déjà été étendue');
  });

  it('filters a list as DS’s update_filter form says: a tag per value, the rows it leaves, « Tout supprimer »', async () => {
    const list = `/procedures/${SUBVENTION}/tous`;
    const first = await browser.page(list);
    const token = first.querySelector('meta[name="csrf-token"]')!.getAttribute('content')!;
    const action = first
      .querySelector('#editable-filters-component form[action$="/update_filter"]')!
      .getAttribute('action')!;
    const post = (path: string, fields: [string, string][]) =>
      browser.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams([['authenticity_token', token], ['statut', 'tous'], ...fields]).toString(),
      });
    const setFilter = (column: string, values: string[]) =>
      post(action, [
        ['filter_key', '[]'],
        ['filter[id]', JSON.stringify({ procedure_id: SUBVENTION, column_id: column })],
        ['filter[filter][operator]', 'match'],
        ...values.map((v) => ['filter[filter][value][]', v] as [string, string]),
      ]);
    const TAGS =
      '#editable-filters-component form.inline[data-turbo="true"] > button.fr-tag.fr-tag--dismiss.fr-tag--sm';
    const read = async () => {
      const page = await browser.page(list);
      return {
        page,
        tags: [...page.querySelectorAll(TAGS)].map(text),
        rows: [...page.querySelectorAll('#table-dossiers > tbody > tr[data-row-key]')].map((r) =>
          Number(r.getAttribute('data-row-key')),
        ),
      };
    };
    const all = demo.admin.dossiers({ demarche: SUBVENTION, statut: 'tous' });
    expect(first.querySelectorAll(TAGS)).toHaveLength(0);

    const set = await setFilter('self/state', ['en_construction']);
    expect(set.status).toBe(303);
    expect(set.headers.get('location')).toBe(list);
    let shown = await read();
    expect(shown.tags).toEqual(['État du dossier : En construction']);
    expect(shown.page.querySelector(TAGS)!.id).toBe(
      `clear-filter-button-column_id-self-state-filter-operator-match-value-en_construction-procedure_id-${SUBVENTION}-en_construction`,
    );
    expect(parseHtml(fixtureHtml('dossierListSinglePage')).querySelectorAll(TAGS)).toHaveLength(1);
    expect(shown.rows.sort((a, b) => a - b)).toEqual(
      all.filter((d) => d.state === 'en_construction').map((d) => d.number),
    );

    // Values of one column are OR'ed, columns AND'ed; past two tags, « Tout supprimer ».
    const instruction = all.find((d) => d.state === 'en_instruction')!.number;
    await setFilter('self/state', ['en_construction', 'en_instruction']);
    await setFilter('self/id', [String(instruction)]);
    shown = await read();
    expect(shown.tags).toEqual([
      'État du dossier : En construction',
      'État du dossier : En instruction',
      `N° dossier : ${instruction}`,
    ]);
    expect(shown.rows).toEqual([instruction]);
    expect(text(shown.page.querySelector('form[action$="/clear_all_filters"] button.fr-btn'))).toBe('Tout supprimer');
    // Another tab keeps its own filters (none).
    expect((await browser.page(`/procedures/${SUBVENTION}/traites`)).querySelectorAll(TAGS)).toHaveLength(0);

    expect((await browser.post(action, { statut: 'tous', 'filter[id]': '{}' })).status).toBe(422);
    expect((await post(action.replace('update_filter', 'clear_all_filters'), [])).status).toBe(303);
    shown = await read();
    expect(shown.tags).toEqual([]);
    expect(shown.rows).toHaveLength(Math.min(100, all.length));
  });

  it('accepts the CSRF token in an X-CSRF-Token header too', async () => {
    const page = await browser.page(`/procedures/${SUBVENTION}/traites`);
    const token = page.querySelector('meta[name="csrf-token"]')!.getAttribute('content')!;
    const dossier = demo.admin.dossiers({ demarche: SUBVENTION, statut: 'traites' })[0]!;
    const response = await browser.request(`/procedures/${SUBVENTION}/traites/dossiers/${dossier.number}/archive`, {
      method: 'PATCH',
      headers: { 'x-csrf-token': token },
    });
    expect(response.status).toBe(302);
    expect(demo.admin.dossier(dossier.number)!.archived).toBe(true);
  });

  it('exports asynchronously: pending first, then a signed file', async () => {
    const list = await browser.page(`/procedures/${SUBVENTION}/tous`);
    const form = list.querySelector('#download_menu form[action*="/download_export"]')!;
    const fields = {
      authenticity_token: form.querySelector<HTMLInputElement>('input[name="authenticity_token"]')!.value,
      export_format: 'csv',
      statut: 'tous',
    };
    const pending = await browser.post(form.getAttribute('action')!, fields);
    expect(pending.status).toBe(302);
    expect(pending.headers.get('location')).toBe(`/procedures/${SUBVENTION}/exports`);
    const alert = await browser.page(`/procedures/${SUBVENTION}/tous`);
    expect(text(alert.querySelector('#last-export-alert'))).toBe('Votre dernier export est en cours de création.');

    demo.clock.advance(61_000);
    const ready = await browser.request(`/procedures/${SUBVENTION}/download_export?export_format=csv&statut=tous`);
    expect(ready.status).toBe(302);
    const url = ready.headers.get('location')!;
    expect(url.startsWith(`${demo.filesUrl}/`)).toBe(true);
    const file = await fetch(url);
    expect(file.headers.get('content-disposition')).toMatch(
      /filename="dossiers_subvention-associations-sportives-2026_\d{4}-\d\d-\d\d_\d\d-\d\d\.csv"/,
    );
    const csv = await file.text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]!.startsWith('ID,Email,FranceConnect ?,Entreprise raison sociale,À archiver,État du dossier')).toBe(
      true,
    );
    expect(lines).toHaveLength(demo.admin.dossiers({ demarche: SUBVENTION, statut: 'tous' }).length + 1);
  });

  it('exports a procedure ZIP under export/dossier-<n>/', async () => {
    const token = (await browser.page(`/procedures/${SUBVENTION}/traites`))
      .querySelector('meta[name="csrf-token"]')!
      .getAttribute('content')!;
    await browser.post(`/procedures/${SUBVENTION}/download_export?statut=traites`, {
      authenticity_token: token,
      export_format: 'zip',
      statut: 'traites',
    });
    demo.clock.advance(61_000);
    const ready = await browser.request(`/procedures/${SUBVENTION}/download_export?export_format=zip&statut=traites`);
    const entries = readZip(Buffer.from(await (await fetch(ready.headers.get('location')!)).arrayBuffer()));
    const numbers = new Set(entries.map((e) => /^export\/dossier-(\d+)\//.exec(e.name)![1]));
    expect([...numbers].map(Number).sort()).toEqual(
      demo.admin
        .dossiers({ demarche: SUBVENTION, statut: 'traites' })
        .map((d) => d.number)
        .sort(),
    );
    const pdf = entries.find((e) => /\/export-\d+-.*\.pdf$/.test(e.name))!;
    expect(pdfText(pdf.data)).toMatch(/^Dossier n° \d+/);
  });
});
