/**
 * Every DS CSS selector Archiviste uses, in one place (refined-github style). Each one has a twin
 * `<name>_` listing how many elements it matches on the page fixtures named there, which
 * tests/unit/selectors.test.ts checks: when DS changes its markup, the fixtures are updated from
 * the real pages and the failing counts say which selectors to fix. Prefer the hooks DS keeps
 * stable (ids, `data-*`, form actions; shared/ds/DOM.md §6); table columns are found by header text
 * because each instructeur picks and orders them. Selectors marked "in a row" or "in a card" are
 * also valid on the whole page, where they count every row's or card's matches.
 */

/** [expected count, fixture name] pairs; the fixtures are listed in tests/fixtures/pages.ts. */
export type Expectations = readonly (readonly [count: number, fixture: string])[];

const LISTS_104532 = ['dossierList', 'dossierListExpirant', 'dossierListColumns', 'dossierListPage2'] as const;
const DOSSIER_PAGES = [
  'dossierEnInstruction',
  'dossierExpirant',
  'dossierEnConstruction',
  'dossierEnConstruction2026',
  'dossierRefuse',
  'dossierMessagerie',
] as const;
const each = (count: number, fixtures: readonly string[]): Expectations => fixtures.map((f) => [count, f] as const);

// Every page

/** The signed-in account's e-mail, in the header account menu. */
export const userEmail = 'button.account-btn > span.fr-mr-1w';
export const userEmail_: Expectations = [
  ...each(1, ['procedures', 'proceduresLoading', ...LISTS_104532, 'dossierListCorbeille', 'dossierListEmpty']),
  ...each(1, DOSSIER_PAGES),
  [0, 'signIn'],
];

/** The e-mail field of DS's sign-in form (Devise `users/sessions#new`): the user is logged out. */
export const signInEmailField = 'form[method="post"][action$="/users/sign_in"] input[name="user[email]"]';
export const signInEmailField_: Expectations = [
  [1, 'signIn'],
  [0, 'procedures'],
  [0, 'dossierList'],
  [0, 'dossierEnInstruction'],
];

/**
 * The parts of a page DS replaces or updates live (turbo-streams, morphing): the dossier header
 * after a state change, the procedure cards when their counters arrive, the list's table body.
 */
export const liveRegions = '#header-top, ul.procedure-list, #table-dossiers > tbody';
export const liveRegions_: Expectations = [
  ...each(1, ['procedures', 'proceduresLoading', ...LISTS_104532, 'dossierListCorbeille', 'dossierListSinglePage']),
  ...each(1, DOSSIER_PAGES),
  [0, 'dossierListEmpty'],
  [0, 'signIn'],
];

// Procedures index (/procedures)

/** One card per démarche. */
export const procedureCards = 'ul.procedure-list > li';
export const procedureCards_: Expectations = each(4, ['procedures', 'proceduresLoading']);

/** In a card: the title link, twice (desktop and mobile copies), text `<libellé> - n°<id>`. */
export const procedureCardLink = 'h3.card-title > a[href^="/procedures/"]';
export const procedureCardLink_: Expectations = each(8, ['procedures', 'proceduresLoading']);

/** In a card: `span#procedure-<id>-<a-suivre|followed|termines|dossier|expirant>-count`, `⋯` until filled. */
export const procedureCounters = 'ul.procedure-stats span[id^="procedure-"][id$="-count"]';
export const procedureCounters_: Expectations = each(19, ['procedures', 'proceduresLoading']);

/** In a card: the "expirants" link, present only when processed dossiers expire on this démarche. */
export const procedureExpirantLink = 'ul.procedure-stats a[href$="/expirant"]';
export const procedureExpirantLink_: Expectations = each(3, ['procedures', 'proceduresLoading']);

// Dossier list of a démarche (/procedures/:p(/:statut))

/** `<libellé> - n°<id>`, possibly followed by a `span.fr-badge` (Close, Dépubliée, En test). */
export const demarcheHeading = '#procedure-show .procedure-header h1';
export const demarcheHeading_: Expectations = [
  ...each(1, [...LISTS_104532, 'dossierListCorbeille', 'dossierListSinglePage', 'dossierListEmpty']),
  [0, 'procedures'],
  [0, 'dossierEnInstruction'],
];

/** The statut tabs above the list. */
export const listTabs = '#procedure-show nav.fr-tabs a.fr-tabs__tab';
export const listTabs_: Expectations = [
  ...each(7, [...LISTS_104532, 'dossierListCorbeille']),
  ...each(6, ['dossierListSinglePage', 'dossierListEmpty']),
  [0, 'dossierEnInstruction'],
];

/** The tabs' navigation itself: Archiviste's démarche banner goes right below it, above the list. */
export const listTabsNav = '#procedure-show nav.fr-tabs';
export const listTabsNav_: Expectations = [
  ...each(1, [...LISTS_104532, 'dossierListCorbeille', 'dossierListSinglePage', 'dossierListEmpty']),
  ...each(0, ['procedures', 'dossierEnInstruction']),
];

/**
 * Every link in the tabs' navigation, whatever its class: each must lead to a statut tab Archiviste
 * knows (a new one means DS sorts dossiers differently, see lib/ds/recognise.ts).
 */
export const listTabLinks = '#procedure-show nav.fr-tabs a[href]';
export const listTabLinks_: Expectations = [
  ...each(7, [...LISTS_104532, 'dossierListCorbeille']),
  ...each(6, ['dossierListSinglePage', 'dossierListEmpty']),
  [0, 'dossierEnInstruction'],
];

/** The "expirants" tab: DS deletes processed dossiers of this démarche (its expires-when-terminé flag). */
export const expirantTab = '#procedure-show nav.fr-tabs a.fr-tabs__tab[href$="/expirant"]';
export const expirantTab_: Expectations = [
  ...each(1, [...LISTS_104532, 'dossierListCorbeille']),
  ...each(0, ['dossierListSinglePage', 'dossierListEmpty', 'dossierExpirant']),
];

/** The dossier table; DS renders `h2.empty-text` "Aucun dossier" instead when the tab is empty. */
export const dossierTable = '#table-dossiers';
export const dossierTable_: Expectations = [
  ...each(1, [...LISTS_104532, 'dossierListCorbeille', 'dossierListSinglePage']),
  [0, 'dossierListEmpty'],
];

export const emptyDossierList = '#procedure-show h2.empty-text';
export const emptyDossierList_: Expectations = [
  [1, 'dossierListEmpty'],
  ...each(0, ['dossierList', 'dossierListCorbeille']),
];

/** Column headers; a sorted one ends with ` ↑` or ` ↓`. */
export const tableHeaders = '#table-dossiers > thead > tr > th';
export const tableHeaders_: Expectations = [
  ...each(5, ['dossierList', 'dossierListExpirant', 'dossierListPage2', 'dossierListCorbeille']),
  [6, 'dossierListColumns'],
  [5, 'dossierListSinglePage'],
];

/** One row per dossier (`data-row-key` = its number); skips DS's hidden `#js_batch_select_more` row. */
export const dossierRows = '#table-dossiers > tbody > tr[data-row-key]';
export const dossierRows_: Expectations = [
  [8, 'dossierList'],
  [6, 'dossierListExpirant'],
  [5, 'dossierListColumns'],
  [4, 'dossierListPage2'],
  [4, 'dossierListCorbeille'],
  [5, 'dossierListSinglePage'],
  [0, 'dossierListEmpty'],
];

/** In a row: the number cell, where DS puts its own notification badges (and Archiviste its countdown). */
export const rowNumberCell = 'td.fr-cell--numeric';
export const rowNumberCell_: Expectations = dossierRows_.filter(([count]) => count > 0);

/** In a row: the dossier number as a plain `<span>`, not a link: hidden (corbeille) dossiers. */
export const rowNumberSpan = 'td.fr-cell--numeric > span';
export const rowNumberSpan_: Expectations = [[4, 'dossierListCorbeille'], ...each(0, LISTS_104532)];

/** In a row: DS's notification badges under the number ("Expire dans N J.", "Suppression dans N J.", …). */
export const rowBadges = 'td.fr-cell--numeric > div.fr-mt-1v > span.fr-badge';
export const rowBadges_: Expectations = [
  [7, 'dossierList'],
  [8, 'dossierListExpirant'],
  [3, 'dossierListColumns'],
  [3, 'dossierListPage2'],
  [3, 'dossierListCorbeille'],
  [1, 'dossierListSinglePage'],
];

/**
 * In a row: DS's blue "news" badges (`fr-badge--new`: « Dossier modifié », « Message », « Annotation
 * privée », « Avis externe »), shown to the dossier's followers until they open the matching tab.
 */
export const rowNewsBadges = 'td.fr-cell--numeric > div.fr-mt-1v > span.fr-badge.fr-badge--new';
export const rowNewsBadges_: Expectations = [
  [3, 'dossierList'],
  [2, 'dossierListColumns'],
  ...each(0, ['dossierListExpirant', 'dossierListCorbeille']),
];

/** In the "État du dossier" cell: the state badge, linked unless the dossier is hidden. */
export const cellStateBadge = 'td > a > span.fr-badge, td > span.fr-badge';
export const cellStateBadge_: Expectations = [
  [8, 'dossierList'],
  [6, 'dossierListExpirant'],
  [5, 'dossierListColumns'],
  [4, 'dossierListPage2'],
  [4, 'dossierListCorbeille'],
  [5, 'dossierListSinglePage'],
];

/**
 * The instructeur's active filters, one tag per value under DS's filter panel
 * (`ClearFilterButtonsComponent`): « État du dossier : En construction », « N° dossier : 2364790 »…
 */
export const activeFilterTags = '#editable-filters-component button.fr-tag.fr-tag--dismiss';
export const activeFilterTags_: Expectations = [
  [1, 'dossierListSinglePage'],
  ...each(0, [...LISTS_104532, 'dossierListCorbeille', 'dossierListEmpty', 'procedures']),
];

/** Kaminari's page links; the current page has `aria-current` and no `href`. Absent on single pages. */
export const currentPage = 'nav.fr-pagination a.fr-pagination__link[aria-current="page"]';
export const currentPage_: Expectations = [
  [1, 'dossierList'],
  [1, 'dossierListPage2'],
  ...each(0, ['dossierListExpirant', 'dossierListColumns', 'dossierListSinglePage', 'dossierListCorbeille']),
];

export const pageLinks = 'nav.fr-pagination a.fr-pagination__link[href]';
export const pageLinks_: Expectations = [
  [4, 'dossierList'],
  [6, 'dossierListPage2'],
  [0, 'dossierListSinglePage'],
];

// Dossier page (/procedures/:p/:statut/dossiers/:d and its tabs)

/** The dossier header, replaced wholesale by a turbo-stream after a state change. */
export const headerTop = '#header-top';
export const headerTop_: Expectations = [...each(1, DOSSIER_PAGES), [0, 'dossierList']];

/** `Dossier n° <n> – <owner>` (en dash). */
export const dossierHeading = '#header-top h1';
export const dossierHeading_: Expectations = each(1, DOSSIER_PAGES);

/** The démarche's libellé (truncated to 15 words), possibly followed by a `span.fr-badge`. */
export const dossierDemarche = '#header-top > p.fr-text--bold';
export const dossierDemarche_: Expectations = each(1, DOSSIER_PAGES);

/** The state badge (DS's notification badges sit in a nested `ul.fr-badge-group`). */
export const dossierStateBadge = '#header-top .fr-badge-group > span.fr-badge';
export const dossierStateBadge_: Expectations = each(1, DOSSIER_PAGES);

/** "Expirera le dd/mm/yyyy (N mois après …)", on every dossier DS will delete. */
export const expiresAt = '#header-top p.expires_at';
export const expiresAt_: Expectations = [
  ...each(0, ['dossierEnInstruction', 'dossierEnConstruction2026']),
  ...each(1, ['dossierExpirant', 'dossierEnConstruction', 'dossierRefuse']),
];

/** "Ce dossier est en instruction, il n’expirera pas" (only where processed dossiers expire). */
export const expiresAtEnInstruction = '#header-top p.expires_at_en_instruction';
export const expiresAtEnInstruction_: Expectations = [
  [1, 'dossierEnInstruction'],
  ...each(0, ['dossierExpirant', 'dossierEnConstruction', 'dossierEnConstruction2026', 'dossierRefuse']),
];

/** "Ce dossier va expirer" / "Ce dossier a expiré", in the last two weeks. */
export const expiryCalloutTitle = '#header-top .fr-callout.fr-callout--brown-caramel > .fr-callout__title';
export const expiryCalloutTitle_: Expectations = [
  ...each(0, ['dossierEnInstruction', 'dossierEnConstruction2026']),
  ...each(1, ['dossierExpirant', 'dossierEnConstruction', 'dossierRefuse']),
];

// A dossier's messagerie: its « Messagerie » tab and its print page (`Dossiers::MessageComponent` in
// `ol.messages-list`; on the tab, each day opens with a `li > .date-header` that holds no message)

/** One per message: the component's body (author, text, attachments, date), beside its avatar. */
export const messages = '.messagerie ol.messages-list > li > div.width-100';
export const messages_: Expectations = [
  ...each(3, ['dossierMessagerie', 'dossierPrint']),
  ...each(0, ['dossierEnInstruction', 'dossierList']),
];

/** In a message: who wrote it (« [Vous] <e-mail's local part> », the demandeur, « Email automatique »). */
export const messageAuthor = 'span.mail';
export const messageAuthor_: Expectations = each(3, ['dossierMessagerie', 'dossierPrint']);

/** In a message: when, to the minute, Paris time (`short_datetime`: « Le 14/01/2026 09:31 »). */
export const messageDate = 'span.date';
export const messageDate_: Expectations = each(3, ['dossierMessagerie', 'dossierPrint']);

/** In a message: the text (DS's simple format: paragraphs, line breaks), or « (Message supprimé) ». */
export const messageBody = '.rich-text';
export const messageBody_: Expectations = each(3, ['dossierMessagerie', 'dossierPrint']);

/**
 * In a message: each attachment, a download link whose `download` attribute is the file's name, or
 * the bare name while DS's antivirus has not passed it.
 */
export const messageAttachments = 'a.fr-download__link, .attachment-filename';
export const messageAttachments_: Expectations = [
  ...each(1, ['dossierMessagerie', 'dossierPrint']),
  [0, 'dossierEnInstruction'],
];

// Archiviste's démarche banner and /procedures summary

/** The list page's header band (breadcrumb, title, tabs): the démarche banner goes right after it. */
export const listSubHeader = '#procedure-show > .sub-header';
export const listSubHeader_: Expectations = [
  ...each(1, [...LISTS_104532, 'dossierListCorbeille', 'dossierListSinglePage', 'dossierListEmpty']),
  ...each(0, ['procedures', 'dossierEnInstruction']),
];

/** The list of démarche cards on /procedures (DS's counters stream into it). */
export const procedureList = 'ul.procedure-list';
export const procedureList_: Expectations = [...each(1, ['procedures', 'proceduresLoading']), [0, 'dossierList']];

/** In a card: the grey band of counters, under the title (Archiviste's summary badge goes right above it). */
export const procedureStats = 'ul.procedure-stats';
export const procedureStats_: Expectations = [...each(4, ['procedures', 'proceduresLoading']), [0, 'dossierList']];

// Archiviste's export button on the dossier page

/**
 * DS's « Télécharger » menu button in the dossier header actions (its `li.dropdown` sits directly in
 * the actions' div, before « Imprimer »): Archiviste's ZIP button goes right after that `li`.
 */
export const downloadMenuButton = '#header-top .header-actions #print-pj-menu_button';
export const downloadMenuButton_: Expectations = [...each(1, DOSSIER_PAGES), ...each(0, ['dossierList', 'procedures'])];

/** A list's « Télécharger N dossiers » menu (DS's spreadsheet exports); Archiviste's list exports stand beside it. */
export const listDownloadMenuButton = '#procedure-show #download_menu_button';
export const listDownloadMenuButton_: Expectations = [
  ...each(1, [...LISTS_104532, 'dossierListCorbeille', 'dossierListSinglePage']),
  ...each(0, ['procedures', 'dossierEnInstruction']),
];
