/**
 * The dossier list of a démarche, `/procedures/:p(/:statut)` (instructeurs/procedures/show.html.haml
 * and the partials and components it renders), 100 rows per page.
 */
import type { Demarche, Dossier } from '../data/model';
import type { Session } from '../http/session';
import type { RuleSet } from '../rules/expiry';
import { notificationBadges, type Statut } from '../rules/statuts';
import { frenchDateTime } from '../time';
import { dossierActions } from './dossier-actions';
import { filtersSection, type TabFilters } from './filters';
import { notificationBadge, numberWithHtmlDelimiter, stateBadge, truncate } from './format';
import { tokenInput } from './forms';
import { html, raw, type SafeHtml } from './html';
import { layout } from './layout';
import { dossierPath, listPath } from './urls';

const PER_PAGE = 100;

export interface LastExport {
  format: string;
  /** The signed file URL once generated, null while pending. */
  url: string | null;
}

export interface DossierListView {
  session: Session;
  me: string;
  now: Date;
  origin: string;
  demarche: Demarche;
  statut: Statut;
  page: number;
  /** Every dossier of the tab the instructeur's filters leave, in list order. */
  dossiers: readonly Dossier[];
  filters: TabFilters;
  counts: Record<Statut, number>;
  /** Tabs whose dossiers carry news for the instructeur (the sticker dot). */
  statutsWithNews: ReadonlySet<Statut>;
  lastExport: LastExport | null;
  rules: RuleSet;
}

const TABS: ReadonlyArray<{ statut: Statut; label: string; sticker: string; icon?: string }> = [
  { statut: 'a-suivre', label: 'à suivre', sticker: 'a_suivre' },
  { statut: 'suivis', label: 'suivis par moi', sticker: 'suivis_par_moi' },
  { statut: 'traites', label: 'traités', sticker: 'traites' },
  { statut: 'tous', label: 'au total', sticker: 'au_total' },
  { statut: 'expirant', label: 'expirants', sticker: 'expirants' },
  { statut: 'archives', label: 'à archiver', sticker: 'a_archiver', icon: 'fr-icon-folder-2-line' },
  { statut: 'supprimes', label: 'corbeille', sticker: 'corbeille', icon: 'fr-icon-delete-line' },
];

function tabs(view: DossierListView): SafeHtml {
  const { demarche, statut, counts } = view;
  const items = TABS.filter((t) => t.statut !== 'expirant' || demarche.expiresWhenTermine).map((tab) => {
    const active = tab.statut === statut;
    const current = active ? html`aria-current="page" ` : '';
    const sticker = view.statutsWithNews.has(tab.statut)
      ? html`
                <span class="notifications" aria-label="notifications"></span>
              `
      : '';
    const link = tab.icon
      ? html`<a ${current}class="fr-tabs__tab ${tab.icon} fr-tabs__tab--icon-left" href="${listPath(demarche.number, tab.statut)}">${tab.label}</a>`
      : html`<a ${current}class="fr-tabs__tab" href="${listPath(demarche.number, tab.statut)}"><span class="fr-badge fr-badge--blue-ecume fr-mr-1w">${numberWithHtmlDelimiter(counts[tab.statut])}</span>${tab.label}</a>`;
    return html`
            <li class="relative${active ? ' active' : ''}">
              <div id="notification-sticker-${tab.sticker}">${sticker}</div>
              ${link}
            </li>`;
  });
  return html`<nav class="fr-tabs mt-3" role="navigation" aria-label="Dossiers de la démarche numero ${demarche.number}">
          <ul class="fr-tabs__list fr-pl-0">${items}
          </ul>
        </nav>`;
}

function header(view: DossierListView): SafeHtml {
  const { demarche: d } = view;
  const p = d.number;
  const closed = d.state === 'close' ? html`<span class="fr-badge fr-badge--sm super">Close</span>` : '';
  return html`<div class="procedure-header">
        <div class="align-start flex">
          <a class="back-btn fr-btn fr-btn--secondary fr-btn--sm fr-mr-2w fr-px-1v" title="Retour à la liste des dossiers" href="/procedures"><span class="fr-icon-arrow-left-line" aria-hidden="true"></span></a>
          <h1 class="fr-h3 fr-mb-0">
            ${d.title} - n°${p} ${closed}
          </h1>
        </div>
        <nav class="fr-nav" id="navigation" role="navigation" aria-label="Navigation dans la démarche">
          <ul class="fr-nav__list">
            <li class="fr-nav__item">
              <a target="_self" aria-current="page" class="fr-nav__link" href="/procedures/${p}">Suivi des dossiers</a>
            </li>
            <li class="fr-nav__item relative">
              <button class="fr-nav__btn" aria-expanded="false" aria-controls="menu-procedure">
                <span class="relative">
                  Gestion de la démarche
                </span>
              </button>
              <div class="fr-collapse fr-menu" id="menu-procedure">
                <ul class="fr-menu__list">
                  <li>
                    <a class="fr-nav__link position-relative" href="/procedures/${p}/history">
                      <span class="relative">
                        Historique des modifications du formulaire
                      </span>
                    </a>
                  </li>
                  <li>
                    <a class="fr-nav__link" href="/procedures/${p}/administrateurs">Administrateurs de la démarche</a>
                  </li>
                  <li>
                    <a class="fr-nav__link" href="/procedures/${p}/notification_preferences">Gestion des notifications</a>
                  </li>
                  <li>
                    <a class="fr-nav__link" href="/procedures/${p}/stats">Statistiques de la démarche</a>
                  </li>
                  <li>
                    <a class="fr-nav__link" href="/procedures/${p}/deleted_dossiers">Historique des dossiers supprimés</a>
                  </li>
                </ul>
              </div>
            </li>
            <li class="fr-nav__item relative">
              <button class="fr-nav__btn" aria-expanded="false" aria-controls="menu-support">
                Accompagnement des usagers
              </button>
              <div class="fr-collapse fr-menu" id="menu-support">
                <ul class="fr-menu__list">
                  <li>
                    <a class="fr-nav__link" href="/procedures/${p}/email_usagers">Contacter les usagers avec un dossier "brouillon"</a>
                  </li>
                  <li>
                    <a target="_blank" rel="noopener" class="fr-nav__link" href="/procedures/${p}/apercu">Prévisualiser le formulaire</a>
                  </li>
                  <li>
                    <a class="fr-nav__link fr-link fr-link--md fr-link--icon-left fr-icon-clipboard-line" data-controller="clipboard" data-clipboard-text-value="${view.origin}/commencer/${d.path}" data-action="click->clipboard#copy" href="#">
                      Copier le lien usager de la démarche
                    </a>
                  </li>
                </ul>
              </div>
            </li>
            <li class="fr-nav__item relative">
              <button class="fr-nav__btn" aria-expanded="false" aria-controls="menu-downloads">
                <span class="relative">
                  Téléchargements
                </span>
              </button>
              <div class="fr-collapse fr-menu" id="menu-downloads">
                <ul class="fr-menu__list">
                  <li>
                    <a class="fr-nav__link" href="/procedures/${p}/exports">
                      Liste des exports
                    </a>
                  </li>
                  <li>
                    <a class="fr-nav__link" href="/procedures/${p}/archives/list">Téléchargement mensuel</a>
                  </li>
                  <li>
                    <a class="fr-nav__link" href="/procedures/${p}/export_templates">Modèles d’export</a>
                  </li>
                </ul>
              </div>
            </li>
          </ul>
        </nav>
        <div id="last-export-alert">${view.lastExport ? lastExportAlert(view.lastExport, p, view.statut) : ''}</div>
      </div>`;
}

/** `_last_export_alert`: polled every 5 s (turbo-poll) until the export is ready. */
export function lastExportAlert(lastExport: LastExport, demarche: number, statut: Statut): SafeHtml {
  const text = lastExport.url
    ? html`Votre dernier export au format ${lastExport.format} est prêt. Vous pouvez le <a href="${lastExport.url}">télécharger</a>`
    : html`Votre dernier export est en cours de création.`;
  const poll = lastExport.url
    ? ''
    : html` data-controller="turbo-poll" data-turbo-poll-url-value="/procedures/${demarche}/polling_last_export?export_format=${lastExport.format}&amp;statut=${statut}" data-turbo-poll-interval-value="5000"`;
  return html`<div${poll}><div class="fr-alert fr-alert--info fr-alert--sm fr-my-2w"><p>${text}</p></div></div>`;
}

const TABS_EXPLANATIONS =
  raw(`<button aria-controls="modal-tabs-explanations" data-fr-opened="false" class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline fr-btn--icon-left fr-icon-question-line fr-ml-2v">
          Que regroupent les onglets ?
        </button>
        <dialog class="fr-modal" id="modal-tabs-explanations" aria-labelledby="fr-modal-title-modal-1" role="dialog">
          <div class="fr-container fr-container--fluid fr-container-md">
            <div class="fr-grid-row fr-grid-row--center">
              <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
                <div class="fr-modal__body">
                  <div class="fr-modal__header">
                    <button class="fr-btn--close fr-btn" aria-controls="modal-tabs-explanations" title="Fermer la fenêtre modale">Fermer</button>
                  </div>
                  <div class="fr-modal__content">
                    <h1 class="fr-modal__title" id="fr-modal-title-modal-1">
                      <span class="fr-icon-arrow-right-line fr-icon--lg"></span>Que regroupent les onglets ?
                    </h1>
                    <p>L’onglet <strong>« à suivre »</strong> contient l’ensemble des dossiers qui ne sont suivis par aucun instructeur. Pour s’affecter le dossier, il suffit de cliquer sur « Suivre » le dossier.</p>
                    <p>L’onglet <strong>« suivis par moi »</strong> contient les dossiers que vous suivez. Lorsque vous (ou un autre instructeur) suivez un dossier, ce dossier n’apparaît plus dans les dossiers « à suivre ». Vous pouvez échanger avec le demandeur jusqu’à pouvoir accepter, refuser classer sans suite son dossier.</p>
                    <p>L’onglet <strong>« traités »</strong> contient les dossiers sur lesquels un ou plusieurs instructeurs ont statué et apporté une décision (accepté, refusé ou classé sans suite).</p>
                    <p>L’onglet <strong>« au total »</strong> contient l’ensemble des dossiers déposés sur cette démarche, quel que soit leur statut (« à suivre », « suivis par moi », « traités »). Si les dossiers sont routés dans des groupes instructeurs, vous ne trouverez dans cet onglet que les dossiers du (des) groupe(s) dont vous faites partie.</p>
                    <p>L’onglet <strong>« expirants »</strong> contient les dossiers dont le délai de conservation va bientôt expirer (la durée de conservation des dossiers est fixée par l’administrateur de la démarche).</p>
                    <p>L’onglet <strong>« à archiver »</strong> contient les dossiers qui étaient anciennement dans l’onglet « traités » (ils ont été déplacés par un instructeur dans cet onglet « à archiver »). La messagerie usager est automatiquement désactivée sur le dossier dès qu’il est « à archiver ». Ces dossiers seront supprimés lorsque leur délai de conservation dans demarche.numerique.gouv.fr sera expiré. Pour sauvegarder et archiver vos dossiers sur votre serveur, vous devez les télécharger.</p>
                    <p>L’onglet <strong>« corbeille »</strong> contient : <br>- les dossiers dont le délai de conservation a expiré (la durée de conservation des dossiers est fixée par l’administrateur de la démarche).<br>- les dossiers « traités » qui ont été mis à la corbeille par les instructeurs. <br>À partir de la date à laquelle les dossiers ont été mis dans la corbeille, vous disposez d’un délai de 7 jours pour les télécharger / restaurer / étendre leur durée de conservation d’un mois. Passé ce délai, ces dossiers seront supprimés définitivement.</p>
                  </div>
                </div>
              </div>
            </div>
          </div>
        </dialog>`);

const FORMATS = [
  { value: 'xlsx', label: html`Fichier xlsx` },
  { value: 'ods', label: html`Fichier ods` },
  {
    value: 'csv',
    label: html`Fichier csv
                      <span class="fr-hint-text">Uniquement les dossiers, sans les champs répétables</span>`,
  },
  {
    value: 'zip',
    label: html`Fichier zip
                      <span class="fr-hint-text">ne contient pas l'horodatage ni le journal de log</span>`,
  },
];

function exportDropdown(view: DossierListView, count: number, archivedCount: number): SafeHtml {
  const { session, statut } = view;
  const p = view.demarche.number;
  const action = `/procedures/${p}/download_export?statut=${statut}`;
  const includeArchived = (id: string) =>
    statut === 'tous' && archivedCount > 0
      ? html`
              <div class="fr-pb-2w">
                <div class="fr-toggle fr-toggle--label-left">
                  <input name="include_archived" type="hidden" value="0" autocomplete="off"><input class="fr-toggle__input" id="${id}" type="checkbox" value="1" name="include_archived">
                  <label data-fr-checked-label="Activé" data-fr-unchecked-label="Désactivé" class="fr-toggle__label" for="${id}"><span>Inclure les <strong>${archivedCount} dossiers « à archiver »</strong></span></label>
                </div>
              </div>`
      : '';
  const radios = FORMATS.map(
    (f, i) => html`
                <div class="fr-fieldset__element">
                  <div class="fr-radio-group">
                    <input type="radio" value="${f.value}"${i === 0 ? raw(' checked="checked"') : ''} name="export_format" id="export${count}_export_format_${f.value}">
                    <label for="export${count}_export_format_${f.value}">${f.label}</label>
                  </div>
                </div>`,
  );
  const buttons = html`<ul class="fr-btns-group fr-btns-group--sm fr-btns-group--inline">
                <li>
                  <button class="fr-btn fr-btn--secondary" type="button" data-action="click->menu-button#close">Annuler</button>
                </li>
                <li>
                  <input type="submit" name="commit" value="Demander l’export" data-action="click->menu-button#close" class="fr-btn" data-disable-with="Demander l’export">
                </li>
              </ul>`;
  return html`<li class="dropdown" data-controller="menu-button">
  <button class="fr-btn dropdown-button fr-btn--sm fr-btn--secondary fr-icon-download-line" id="download_menu_button" data-menu-button-target="button" aria-expanded="false" aria-haspopup="true" aria-controls="download_menu">
    ${count === 1 ? 'Télécharger un dossier' : raw(`Télécharger ${count} dossiers`)}
    <span class="fr-ml-2v" aria-hidden="true"></span>
  </button>
  <div data-menu-button-target="menu" id="download_menu" aria-labelledby="download_menu_button" role="region" tabindex="-1" class="dropdown-content dropdown-export">
  <div class="fr-container">
    <div class="fr-tabs fr-my-3w">
      <ul class="fr-tabs__list" role="tablist">
        <li role="presentation">
          <button class="fr-tabs__tab fr-tabs__tab--icon-left" id="tabpanel-standard${count}" tabindex="0" role="tab" aria-selected="true" aria-controls="tabpanel-standard${count}-panel">Standard</button>
        </li>
        <li role="presentation">
          <button class="fr-tabs__tab fr-tabs__tab--icon-left" id="tabpanel-template${count}" tabindex="-1" role="tab" aria-selected="false" aria-controls="tabpanel-template${count}-panel">A partir d’un modèle</button>
        </li>
      </ul>
      <div class="fr-tabs__panel fr-pb-8w fr-tabs__panel--selected" id="tabpanel-standard${count}-panel" role="tabpanel" aria-labelledby="tabpanel-standard${count}" tabindex="0">
        <form data-turbo-method="post" data-turbo="true" action="${action}" accept-charset="UTF-8" method="post">${tokenInput(session)}${includeArchived(`export${count}_include_archived`)}
          <input value="${statut}" autocomplete="off" type="hidden" name="statut" id="export${count}_statut">
          <fieldset class="fr-fieldset" id="radio-hint" aria-labelledby="radio-hint-legend">
            <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id="radio-hint-legend">Sélectionner le format de l’export</legend>${radios}
            <div class="fr-fieldset__element">
              ${buttons}
            </div>
          </fieldset>
        </form>
      </div>
      <div class="fr-tabs__panel fr-pr-3w fr-pb-8w" id="tabpanel-template${count}-panel" role="tabpanel" aria-labelledby="tabpanel-template" tabindex="0">
        <form data-turbo-method="post" data-turbo="true" action="${action}" accept-charset="UTF-8" method="post">${tokenInput(session)}
          <input value="${statut}" autocomplete="off" type="hidden" name="statut" id="export_template_${count}_statut">${includeArchived(`export_template_${count}_include_archived`)}
          <div class="fr-select-group">
            <p>
              <i>Aucun modèle configuré</i>
            </p>
            <p>
              <a class="fr-link" href="/procedures/${p}/export_templates">Configurer les modèles d’export</a>
            </p>
            ${buttons}
          </div>
        </form>
      </div>
    </div>
  </div>
  </div>
</li>`;
}

interface Column {
  id: string;
  label: string;
  cell: (dossier: Dossier) => string;
}

/** Displayed columns: "Demandeur", plus "Date d’expiration" where the instructeur added it. */
function displayedColumns(demarche: Demarche): Column[] {
  const columns: Column[] = [{ id: 'user/email', label: 'Demandeur', cell: (d) => d.usagerEmail }];
  if (demarche.showsExpirationColumn) {
    columns.push({
      id: 'self/expired_at',
      label: 'Date d’expiration',
      cell: (d) => (d.expiredAt ? frenchDateTime(d.expiredAt) : ''),
    });
  }
  return columns;
}

function columnHeader(view: DossierListView, id: string, label: string, extraClass = ''): SafeHtml {
  const sortedId = JSON.stringify({ procedure_id: view.demarche.number, column_id: id });
  return html`
                      <th class="fr-cell--multiline${extraClass}" scope="col">
                        <form class="button_to" method="post" action="/procedure_presentation/${view.demarche.presentationId}"><input type="hidden" name="_method" value="patch" autocomplete="off"><button class="fr-text--bold" type="submit">${label}</button>${tokenInput(view.session)}<input type="hidden" name="sorted_column[id]" value="${sortedId}" autocomplete="off"><input type="hidden" name="sorted_column[order]" value="asc" autocomplete="off"></form>
                      </th>`;
}

function customMenu(view: DossierListView, columns: Column[]): SafeHtml {
  const p = view.demarche.number;
  const key = (id: string) => JSON.stringify({ procedure_id: p, column_id: id });
  const props = JSON.stringify({
    items: [
      ['Demandeur', key('user/email')],
      ['Date d’expiration', key('self/expired_at')],
    ],
    selected_keys: columns.map((c) => key(c.id)),
    name: 'displayed_columns[]',
    'aria-label': 'Colonne à afficher',
    focus_on_select: `submit_procedure_presentation_${view.demarche.presentationId}`,
    value_separator: false,
  });
  return html`<li class="dropdown" data-controller="menu-button">
  <button class="fr-btn dropdown-button fr-btn--tertiary fr-icon-settings-5-line" id="custom-menu_button" data-menu-button-target="button" aria-expanded="false" aria-haspopup="true" aria-controls="custom-menu">
    Personnaliser le tableau
    <span class="fr-ml-2v" aria-hidden="true"></span>
  </button>
  <div data-menu-button-target="menu" id="custom-menu" aria-labelledby="custom-menu_button" role="region" tabindex="-1" class="dropdown-content">
  <form class="dropdown-form large columns-form" action="/procedure_presentation/${view.demarche.presentationId}" accept-charset="UTF-8" method="post"><input type="hidden" name="_method" value="patch" autocomplete="off">${tokenInput(view.session)}
    <react-fragment>
      <react-component name="ComboBox/MultiComboBox" props="${props}"></react-component>
    </react-fragment>
    <input type="submit" name="commit" value="Enregistrer" id="submit_procedure_presentation_${view.demarche.presentationId}" class="fr-btn fr-btn--secondary" data-disable-with="Enregistrer">
  </form>
  </div>
</li>`;
}

const OPERATIONS: Record<string, string> = {
  en_construction: 'passer_en_instruction,repousser_expiration,create_avis,follow,unfollow,create_commentaire',
  en_instruction:
    'accepter,refuser,classer_sans_suite,repasser_en_construction,create_avis,follow,unfollow,create_commentaire',
  termine: 'archiver,desarchiver,supprimer,restaurer,repousser_expiration,follow,unfollow,create_commentaire',
};

/** The batch operations a row allows; since June 2026 `repousser_expiration` is for terminé dossiers only. */
function operationsOf(kind: string, rules: RuleSet): string {
  const operations = OPERATIONS[kind]!;
  return kind === 'en_construction' && rules === '2026' ? operations.replace('repousser_expiration,', '') : operations;
}

/** `_dossier_actions` as the list renders it (`turbo: false, with_menu: false`). */
function rowActions(view: DossierListView, dossier: Dossier): SafeHtml {
  return dossierActions({
    session: view.session,
    demarche: view.demarche.number,
    dossier,
    statut: view.statut,
    followed: dossier.followers.includes(view.me),
    closeToExpiration: view.statut === 'expirant',
    hiddenByAdministration: view.statut === 'supprimes',
    hiddenByExpired: dossier.hiddenReason === 'expired',
    turbo: false,
    menu: null,
  });
}

function row(view: DossierListView, dossier: Dossier, columns: Column[]): SafeHtml {
  const p = view.demarche.number;
  const d = dossier.number;
  const path = dossierPath(p, view.statut, d);
  const hidden = !!dossier.hiddenByAdministrationAt || !!dossier.hiddenByExpiredAt;
  const linked = !dossier.hiddenByAdministrationAt;
  const kind = dossier.state === 'en_construction' || dossier.state === 'en_instruction' ? dossier.state : 'termine';
  const badges = notificationBadges(dossier, view.me, view.now).map(
    (b) => html`
                        <div class="fr-mt-1v">
                          ${notificationBadge(b)}
                        </div>`,
  );
  const number = hidden
    ? html`<span>${d}</span>`
    : html`<a class="fr-link relative" href="${path}">
                          ${d}
                        </a>`;
  const deletedByUser = dossier.hiddenByUserAt
    ? raw('\n                           - Dossier supprimé par l’usager')
    : '';
  const cells = columns.map((c) => {
    const value = c.cell(dossier);
    return linked
      ? html`
                      <td class="fr-cell--multiline">
                        <a href="${path}">
                          ${value}${deletedByUser}
                        </a>
                      </td>`
      : html`
                      <td class="fr-cell--multiline">
                        <span>
                          ${value}${deletedByUser}
                        </span>
                      </td>`;
  });
  return html`
                    <tr ${dossier.hiddenByUserAt ? raw('class="file-hidden-by-user" ') : ''}id="table-dossiers-row-${d}" aria-selected="false" data-row-key="${d}">
                      <th class="fr-cell--fixed" scope="row">
                        <div class="fr-checkbox-group fr-checkbox-group--sm">
                          <input type="checkbox" name="batch_operation[dossier_ids][]" id="checkbox_${d}_new_batch_operation" value="${d}" data-batch-operation-target="input" data-action="batch-operation#onCheckOne" data-operations="${operationsOf(kind, view.rules)}" data-fr-row-select="true" form="new_batch_operation" aria-label="Ajouter le dossier ${d} à la sélection pour un traitement de masse">
                          <label class="fr-label" for="checkbox_${d}_new_batch_operation">Sélectionner le dossier ${d}</label>
                        </div>
                      </th>
                      <td class="fr-cell--numeric">
                        ${number}${badges}
                      </td>${cells}
                      <td>
                        ${linked ? html`<a href="${path}">${stateBadge(dossier.state)}</a>` : stateBadge(dossier.state)}
                      </td>
                      <td class="follow-col">
                        <ul class="fr-btns-group fr-btns-group--sm fr-btns-group--inline fr-btns-group--icon-left">${rowActions(view, dossier)}
                        </ul>
                      </td>
                    </tr>`;
}

/** Kaminari's `shared/kaminari` views: window of 4 pages around the current one, gaps elsewhere. */
function pagination(view: DossierListView, pageCount: number): SafeHtml {
  if (pageCount <= 1) return html``;
  const { page } = view;
  const url = (n: number) => listPath(view.demarche.number, view.statut, n);
  const items: SafeHtml[] = [];
  if (page > 1) {
    items.push(
      html`<li><a class="fr-pagination__link fr-pagination__link--first" title="Première page" role="link" href="${url(1)}">Premier</a></li>`,
      html`<li><a rel="prev" class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" role="link" href="${url(page - 1)}">Précédent</a></li>`,
    );
  }
  let gapShown = false;
  for (let n = 1; n <= pageCount; n++) {
    if (Math.abs(n - page) > 4) {
      if (!gapShown) items.push(html`<li><a class="fr-pagination__link fr-displayed-lg" href="#">...</a></li>`);
      gapShown = true;
      continue;
    }
    gapShown = false;
    const rel = n === page + 1 ? html`rel="next" ` : n === page - 1 ? html`rel="prev" ` : '';
    items.push(
      n === page
        ? html`<li><a aria-current="page" title="Page ${n}" class="fr-pagination__link">${n}</a></li>`
        : html`<li><a ${rel}class="fr-pagination__link" title="Page ${n}" role="link" href="${url(n)}">${n}</a></li>`,
    );
  }
  if (page < pageCount) {
    items.push(
      html`<li><a rel="next" class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" role="link" href="${url(page + 1)}">Suivant</a></li>`,
      html`<li><a rel="next" class="fr-pagination__link fr-pagination__link--last" title="Dernière page" role="link" href="${url(pageCount)}">Dernier</a></li>`,
    );
  }
  return html`
                <nav class="fr-pagination" role="navigation" aria-label="Pagination">
                  <ul class="fr-pagination__list">
                  ${items.map(
                    (i) => html`${i}
                  `,
                  )}</ul>
                </nav>`;
}

function table(view: DossierListView): SafeHtml {
  const { dossiers, page, session, statut } = view;
  const total = dossiers.length;
  const pageCount = Math.max(1, Math.ceil(total / PER_PAGE));
  const rows = dossiers.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const columns = displayedColumns(view.demarche);
  const first = (page - 1) * PER_PAGE + 1;
  const entries =
    pageCount > 1
      ? html`${first} - ${first + rows.length - 1} <span class='fr-text--sm'>sur ${total} dossiers</span>`
      : html`${total} ${total === 1 ? 'dossier' : 'dossiers'}`;
  const batchButton =
    statut === 'expirant'
      ? html`<button name="batch_operation[operation]" type="submit" class="fr-btn fr-btn--sm fr-btn--icon-left fr-ml-1w" disabled="disabled" value="repousser_expiration" data-operation="repousser_expiration">Conserver un mois de plus</button>`
      : html`<button name="batch_operation[operation]" type="submit" class="fr-btn fr-btn--sm fr-btn--icon-left fr-ml-1w fr-icon-mail-line" disabled="disabled" value="create_commentaire" data-operation="create_commentaire" data-action="batch-operation#injectSelectedIdsIntoModal" data-fr-opened="false" data-modal-type="commentaire" aria-controls="modal-commentaire-batch">Envoyer un message aux usagers</button>`;
  return html`<div data-controller="batch-operation" data-batch-operation-limit-value="500">
      <div class="flex align-center fr-mt-2w">
        <span class="fr-h6 fr-mb-0 fr-mr-3w">
          ${entries}
        </span>
          <form data-controller="autosubmit" action="/procedure_presentation/${view.demarche.presentationId}" accept-charset="UTF-8" method="post"><input type="hidden" name="_method" value="patch" autocomplete="off">${tokenInput(session)}
            <div class="fr-toggle">
              <input type="hidden" name="sorted_column[id]" id="sorted_column_id" value="${JSON.stringify({ procedure_id: view.demarche.number, column_id: 'notifications/notifications' })}" autocomplete="off">
              <input type="hidden" name="sorted_column[order]" value="asc" autocomplete="off">
              <input type="checkbox" name="sorted_column[order]" id="toggle-notifications" value="desc" checked="checked" class="fr-toggle__input" aria-describedby="toggle-notifications-messages">
              <label class="fr-toggle__label fr-text--sm no-wrap" for="toggle-notifications">Remonter les dossiers avec notification</label>
              <div class="fr-messages-group" id="toggle-notifications-messages" aria-live="polite"></div>
            </div>
            <input type="submit" name="commit" value="Remonter les dossiers avec notification" data-checkbox-target="submit" class="visually-hidden" data-disable-with="Remonter les dossiers avec notification">
          </form>
        <div class="fr-ml-auto">
          <ul class="fr-btns-group fr-btns-group--right fr-btns-group--sm fr-btns-group--inline-md fr-btns-group--icon-left">
${exportDropdown(view, total, view.counts.archives)}
${customMenu(view, columns)}
          </ul>
        </div>
      </div>
      <div class="fr-background-alt--blue-france fr-p-2w fr-mb-n2w">
        <div class="batch-operation flex align-center">
          <span class="fr-mr-1w" data-batch-operation-target="checkboxCount">
            0 dossier sélectionné
          </span>
          <form class="form" id="new_batch_operation" data-turbo="true" data-turbo-confirm="Confirmez-vous le traitement multiple des dossiers sélectionnés ?" action="/procedures/${view.demarche.number}/dossiers" accept-charset="UTF-8" method="post">${tokenInput(session)}
            ${batchButton}
          </form>
          <dialog class="fr-modal" id="modal-commentaire-batch" aria-labelledby="fr-modal-title-commentaire-batch" role="dialog">
          </dialog>
        </div>
      </div>
      <div class="fr-table fr-table--bordered">
        <div class="fr-table__wrapper">
          <div class="fr-table__container">
            <div class="fr-table__content">
              <table id="table-dossiers" class="dossiers-table">
                <thead>
                  <tr>
                    <th class="fr-cell--fixed" role="columnheader" scope="col">
                      <div class="fr-checkbox-group fr-checkbox-group--sm">
                        <input type="checkbox" data-action="batch-operation#onCheckAll" id="checkbox_all_new_batch_operation" aria-label="Tout selectionner">
                        <label class="fr-label" for="checkbox_all_new_batch_operation">Sélectionner tous les dossiers</label>
                      </div>
                    </th>${columnHeader(view, 'self/id', 'N° dossier', ' number-col')}${columns.map((c) => columnHeader(view, c.id, c.label))}${columnHeader(view, 'self/state', 'État du dossier')}
                    <th class="follow-col" scope="col">
                      Actions
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <tr class="hidden" id="js_batch_select_more">
                    <td class="fr-py-2w fr-background-alt--blue-france" colspan="100">
                      <div id="not_selected">
                        <p role="status">
                          Les <span id='dynamic_number'>n</span> dossiers de cette page sont sélectionnés.
                          <button class="fr-btn fr-btn--sm fr-btn--tertiary" id="js_select_more" data-action="batch-operation#onSelectMore" data-dossiers="${dossiers
                            .slice(0, 500)
                            .map((d) => d.number)
                            .join(',')}">
                            Sélectionner la totalité des ${total} dossiers.
                          </button>
                        </p>
                      </div>
                      <div class="hidden" id="selected">
                        <p role="status">
                          ${total} dossiers sont sélectionnés.
                          <button class="fr-btn fr-btn--sm fr-btn--tertiary" id="js_delete_selection" data-action="batch-operation#onDeleteSelection">
                            Effacer la sélection
                          </button>
                        </p>
                        <input type="hidden" name="batch_operation[dossier_ids][]" id="input_multiple_ids_new_batch_operation" value="" form="new_batch_operation" autocomplete="off">
                      </div>
                    </td>
                  </tr>${rows.map((d) => row(view, d, columns))}
                </tbody>
              </table>
            </div>
          </div>
        </div>
        <div class="fr-table__footer">
          <div class="fr-table__footer--start">
            <p class="fr-table__detail">
              ${total}
              dossiers
            </p>
          </div>
          <div class="fr-table__footer--middle">
${pagination(view, pageCount)}
          </div>
          <div class="fr-table__footer--end flex-no-grow"></div>
        </div>
      </div>
    </div>`;
}

export function dossierListPage(view: DossierListView): SafeHtml {
  const body = html`<div id="procedure-show">
  <div class="sub-header">
    <div class="fr-container flex column">
      <nav class="fr-breadcrumb fr-mt-0 fr-mb-1w" role="navigation" aria-label="Vous êtes ici">
        <button class="fr-breadcrumb__button" aria-expanded="false" aria-controls="breadcrumb-1">
          Voir le fil d’Ariane
        </button>
        <div class="fr-collapse" id="breadcrumb-1">
          <ol class="fr-breadcrumb__list">
            <li><a class="fr-breadcrumb__link" href="/procedures">Accueil - Liste des démarches</a></li>
            <li><a aria-current="page" class="fr-breadcrumb__link" href="">${truncate(view.demarche.title, 22)} – Suivi des dossiers</a></li>
          </ol>
        </div>
      </nav>
      ${header(view)}
      <hr>
      <div class="flex">
        <h1 class="fr-h5 fr-mb-0">Suivi des dossiers</h1>
        ${TABS_EXPLANATIONS}
      </div>
    </div>
    <div class="fr-container">
      <div class="flex">
        ${tabs(view)}
      </div>
    </div>
  </div>
  <div class="fr-container--fluid fr-mx-4w overflow-y-visible">
    ${filtersSection({ session: view.session, demarche: view.demarche.number, presentation: view.demarche.presentationId, statut: view.statut, filters: view.filters })}
    ${view.dossiers.length > 0 ? table(view) : html`<h2 class="empty-text">Aucun dossier</h2>`}
  </div>
</div>`;
  return layout({ title: view.demarche.title, session: view.session, body });
}
