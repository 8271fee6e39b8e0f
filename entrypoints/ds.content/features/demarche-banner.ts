import { coalesced, defineFatesFeature, type FatesFeatureContext } from '@/lib/content/fates';
import { observe } from '@/lib/content/observe';
import { backgroundStartArchive, type StartArchive } from '@/lib/content/start-archive';
import { listTabsProblem } from '@/lib/ds/recognise';
import { expirantTab, listSubHeader, listTabsNav } from '@/lib/ds/selectors';
import type { DemarcheBannerView, WeekView } from '@/lib/view/page-fates';

/**
 * A DSFR notice under the statut tabs of every dossier list of a démarche: « 12 dossiers supprimés
 * d’ici 30 jours, dont 9 non sauvegardés — le premier le 04/12 », a small chart of the deletions
 * of the next 13 weeks (unsaved part in red), where DS has an « expirants » tab a link to it, and
 * « Sauvegarder ces 9 dossiers », which starts a bulk archive of the unsaved ones. One banner
 * whatever DS re-renders, updated in place when the background's data changes.
 */

/** What the banner shows: the background's view, and whether this page has an « expirants » tab to link to. */
interface BannerContent {
  view: DemarcheBannerView;
  expirantLink: boolean;
}

function element<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className = '',
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One week: a grey track holding the saved part (blue) on top of the unsaved part (red). */
function weekBar(doc: Document, week: WeekView, max: number): HTMLElement {
  const bar = element(doc, 'div', 'archiviste-chart__week');
  bar.dataset.total = String(week.total);
  bar.dataset.unsaved = String(week.unsaved);
  bar.title = week.label;
  const saved = Math.max(0, week.total - week.unsaved);
  const unsaved = Math.min(week.unsaved, week.total);
  for (const [count, part] of [
    [saved, 'saved'],
    [unsaved, 'unsaved'],
  ] as const) {
    const segment = element(doc, 'div', `archiviste-chart__${part}${count > 0 ? ' archiviste-chart__filled' : ''}`);
    // CSSOM, not a style attribute: DS's CSP may forbid inline style attributes.
    segment.style.height = `${(count / max) * 100}%`;
    bar.append(segment);
  }
  return bar;
}

/** The bars for the eyes (hidden from screen readers), the same numbers as a table for screen readers. */
function chart(doc: Document, view: DemarcheBannerView): HTMLElement {
  const figure = element(doc, 'div', 'archiviste-chart');
  const bars = element(doc, 'div', 'archiviste-chart__bars');
  bars.setAttribute('aria-hidden', 'true');
  const max = Math.max(1, ...view.weeks.map((week) => week.total));
  bars.append(...view.weeks.map((week) => weekBar(doc, week, max)));

  const legend = element(doc, 'p', 'archiviste-chart__legend');
  legend.setAttribute('aria-hidden', 'true');
  for (const [part, text] of [
    ['unsaved', view.legend.unsaved],
    ['saved', view.legend.saved],
  ] as const) {
    legend.append(element(doc, 'span', `archiviste-chart__key archiviste-chart__key--${part}`, text));
  }

  const table = element(doc, 'table', 'fr-sr-only');
  table.append(element(doc, 'caption', '', view.chartLabel));
  const head = element(doc, 'thead');
  const headings = element(doc, 'tr');
  for (const column of view.chartColumns) {
    const cell = element(doc, 'th', '', column);
    cell.setAttribute('scope', 'col');
    headings.append(cell);
  }
  head.append(headings);
  table.append(head);
  const body = element(doc, 'tbody');
  for (const week of view.weeks) {
    const row = element(doc, 'tr');
    const label = element(doc, 'th', '', week.label);
    label.setAttribute('scope', 'row');
    row.append(label, element(doc, 'td', '', String(week.total)), element(doc, 'td', '', String(week.unsaved)));
    body.append(row);
  }
  table.append(body);
  figure.append(bars, legend, table);
  return figure;
}

/**
 * « Sauvegarder ces 9 dossiers »: starts the archive, then says it opened in a new tab (and stays so,
 * a second archive of the same dossiers being no use); a refusal is said beside it, the button usable again.
 */
function saveButton(doc: Document, texts: NonNullable<DemarcheBannerView['save']>, save: () => Promise<unknown>) {
  const actions = element(doc, 'div', 'archiviste-banner__save');
  const button = element(
    doc,
    'button',
    'fr-btn fr-btn--sm fr-btn--secondary fr-icon-archive-line fr-btn--icon-left',
    texts.label,
  );
  button.type = 'button';
  button.dataset.archivisteSave = '';
  // Present from the start (empty), so that screen readers announce what it says later.
  const status = element(doc, 'p', 'fr-text--sm');
  status.setAttribute('role', 'status');
  button.addEventListener('click', async () => {
    // aria-disabled, not disabled: the button keeps the keyboard focus while it works.
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    button.setAttribute('aria-busy', 'true');
    button.textContent = texts.busy;
    status.textContent = '';
    try {
      await save();
      button.textContent = texts.opened;
    } catch (error) {
      // The background's errors are sentences already (checked by shape: errors may come from another realm).
      const message = (error as { message?: unknown } | null)?.message;
      status.textContent = typeof message === 'string' && message ? message : texts.failed;
      button.textContent = texts.label;
      button.removeAttribute('aria-disabled');
    } finally {
      button.removeAttribute('aria-busy');
    }
  });
  actions.append(button, status);
  return actions;
}

/** The notice's inside, built from text nodes only: nothing the background sends is parsed as HTML. */
function bannerBody(doc: Document, { view, expirantLink }: BannerContent, save: () => Promise<unknown>): HTMLElement {
  const container = element(doc, 'div', 'fr-container');
  const body = element(doc, 'div', 'fr-notice__body');
  const text = element(doc, 'p');
  // Whose notice it is: Archiviste's, not DS's.
  text.append(element(doc, 'span', 'fr-badge fr-badge--sm fr-badge--no-icon fr-mr-1w', view.title));
  text.append(element(doc, 'span', 'fr-notice__title', view.text));
  if (expirantLink) {
    const link = element(doc, 'a', 'fr-link', view.expirantLink);
    link.href = view.expirantUrl;
    text.append(link);
  }
  body.append(text, chart(doc, view));
  if (view.save) body.append(saveButton(doc, view.save, save));
  container.append(body);
  return container;
}

/**
 * Puts the banner right after the list's header band (the tabs are its last part), creating it
 * once, moving it back if DS re-rendered around it, and redrawing it only when its content changed.
 */
export function placeBanner(
  doc: Document,
  nav: Element,
  content: BannerContent,
  save: () => Promise<unknown>,
): HTMLElement {
  const anchor = nav.closest(listSubHeader) ?? nav;
  const number = String(content.view.number);
  const key = JSON.stringify(content);
  const existing = [...doc.querySelectorAll<HTMLElement>('[data-archiviste-banner]')];
  let banner = existing.find((node) => node.dataset.archivisteBanner === number) ?? null;
  for (const stray of existing) if (stray !== banner) stray.remove();
  if (!banner) {
    banner = element(doc, 'div');
    banner.dataset.archivisteBanner = number;
  }
  if (anchor.nextElementSibling !== banner) anchor.after(banner);
  if (banner.dataset.archivisteView !== key) {
    banner.className = `fr-notice ${content.view.threatened > 0 ? 'fr-notice--warning' : 'fr-notice--info'}`;
    banner.replaceChildren(bannerBody(doc, content, save));
    banner.dataset.archivisteView = key;
  }
  return banner;
}

/** Returns false when the page is not a dossier list DS would render (the feature then stays off). */
export function showBanner({
  document,
  route,
  signal,
  fates,
  startArchive,
}: FatesFeatureContext & { startArchive: StartArchive }): boolean {
  if (route.kind !== 'dossier-list' || !document.querySelector(listTabsNav)) return false;
  const number = route.procedure;
  // On the « expirants » tab itself, a link to it would lead nowhere new.
  const linkable = route.statut !== 'expirant';
  let view: DemarcheBannerView | null = null;
  // What the badge counts, of this démarche: the button's « N » are these N.
  const save = () => startArchive({ kind: 'at-risk', origin: route.origin, demarche: number });

  const place = () => {
    const nav = document.querySelector(listTabsNav);
    if (!nav || !view) return;
    placeBanner(document, nav, { view, expirantLink: linkable && document.querySelector(expirantTab) !== null }, save);
  };
  const refresh = coalesced(async () => {
    const { demarches } = await fates.ask({ dossiers: [], demarches: [number] });
    const found = demarches.find((demarche) => demarche.number === number);
    if (!found) return;
    view = found;
    place();
  }, signal);
  // DS re-rendered the tabs: put the banner back with what it already knows, no new question.
  const replace = coalesced(async () => place(), signal);

  observe(listTabsNav, replace, { signal, root: document });
  fates.onChange(refresh);
  refresh();
  return true;
}

export const demarcheBannerFeature = defineFatesFeature(
  'demarche-banner',
  (route) => route.kind === 'dossier-list',
  // The banner sits under the statut tabs and speaks of them (the « expirants » link): a tab it does
  // not know means DS sorts dossiers in a way its counts may not match.
  ({ document, route }) => (route.kind === 'dossier-list' ? listTabsProblem(document, route) : null),
  (context) => showBanner({ ...context, startArchive: backgroundStartArchive }),
);

/*
Test URLs:
https://demarche.numerique.gouv.fr/procedures/104532/tous
https://demarche.numerique.gouv.fr/procedures/104532/expirant
https://demarche.numerique.gouv.fr/procedures/110987
*/
