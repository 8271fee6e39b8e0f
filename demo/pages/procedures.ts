/**
 * The instructeur's démarches, `/procedures` (instructeurs/procedures/index.html.erb and
 * `Instructeurs::ProcedureSummaryComponent`). DS fills the counters after load through the
 * `/procedures/counters` turbo-stream; no DS JavaScript runs on the demo, so they are rendered inline,
 * as they read once the stream has arrived (the fixture shows the same state).
 */
import type { Demarche } from '../data/model';
import type { Session } from '../http/session';
import type { Statut } from '../rules/statuts';
import { numberWithHtmlDelimiter } from './format';
import { tokenInput } from './forms';
import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { listPath } from './urls';

export interface ProcedureSummary {
  demarche: Demarche;
  counts: Record<Statut, number>;
  statutsWithNews: ReadonlySet<Statut>;
}

export interface ProceduresView {
  session: Session;
  origin: string;
  procedures: readonly ProcedureSummary[];
}

function stat(href: string, label: string, content: SafeHtml, notification?: SafeHtml): SafeHtml {
  return html`
      <li
        class="
          fr-btn fr-btn--tertiary-no-outline flex justify-center
          fr-enlarge-link fr-my-1w
        "
      >
        <a href="${href}">${notification ?? ''}
          <div class="center fr-text--bold">
            ${content}
          </div>

          <div class="center fr-text--sm">
            ${label}
          </div>
        </a>
      </li>`;
}

function counter(id: string, value: number): SafeHtml {
  return html`<span id="${id}">
    ${numberWithHtmlDelimiter(value)}
</span>`;
}

function notificationDot(id: string, on: boolean): SafeHtml {
  return html`
          <span id="${id}">${on ? html`<span class="notifications" aria-label="Notifications"></span>` : ''}</span>
`;
}

function card(view: ProceduresView, summary: ProcedureSummary): SafeHtml {
  const { demarche, counts, statutsWithNews } = summary;
  const p = demarche.number;
  const usagerLink = `${view.origin}/commencer/${demarche.path}`;
  const closed = demarche.state === 'close' ? html`<span class="fr-badge fr-badge--sm align-middle">Close</span>` : '';
  const title = html`<h3 class="card-title fr-mb-0 fr-ml-1w">
          <a href="/procedures/${p}">${demarche.title} - n°${p} </a>

          <span data-controller="clipboard" data-clipboard-text-value="${usagerLink}"><button class="fr-btn fr-icon-clipboard-line fr-btn--sm fr-btn--tertiary-no-outline align-middle" data-action="clipboard#copy" title="Copier le lien usager de la démarche">Copier le lien usager de la démarche</button><span class="fr-text--sm hidden" data-clipboard-target="success">Le lien est copié</span></span>
          ${closed}
        </h3>`;
  const menu = (id: string, label: string, links: SafeHtml) => html`
                  <div class="fr-col-12">
                    <ul class="fr-mega-menu__list fr-pb-0">
                      <li class="fr-nav__item">
                        <button class="fr-nav__btn fr-mega-menu__category flex justify-between" aria-expanded="false" aria-controls="${id}-${p}" style="height: 47px">${label}</button>
                        <div class="fr-collapse width-100" id="${id}-${p}">
                          <ul class="fr-menu__list fr-mb-0">${links}
                          </ul>
                        </div>
                      </li>
                    </ul>
                  </div>`;
  return html`
<li class="list-style-type-none fr-mb-3w">
  <div class="procedure-details">
    <div class="fr-mb-2w fr-mt-2w flex align-baseline">
      <nav
        class="fr-nav"
        role="navigation"
        aria-label="Menu de la démarche"
      >
        <ul class="fr-nav__list">
          <li class="fr-nav__item relative">
            <button
              class="fr-nav__btn fr-btn--tertiary-no-outline fr-h-5v hide-chevron"
              aria-expanded="false"
              aria-controls="mega-menu-${p}"
            >
              <span class="fr-icon-menu-2-fill fr-icon--sm fr-mr-1w"></span>
              Menu
            </button>
            <div class="fr-collapse fr-mega-menu" id="mega-menu-${p}" tabindex="-1" style="min-width: 350px">
              <div class="fr-container fr-container--fluid fr-container-lg">
                <button class="fr-btn--close fr-btn fr fr-mb-3w" aria-controls="mega-menu-${p}">Fermer</button>
                <div class="fr-grid-row">
                  <div class="fr-col-12">
                    <div class="fr-mega-menu__leader">
                      <h4 class="fr-h6">
                        <span class="translation_missing" title="translation missing: fr.instructeurs.procedures.index.procedure_menu">Procedure Menu</span>
                      </h4>
                    </div>
                  </div>
                  <div class="fr-col-12">
                    <h5 class="fr-mega-menu__category">
                      <a class="fr-nav__link" href="/procedures/${p}">Suivi des dossiers</a>
                    </h5>
                  </div>${menu(
                    'procedure-management',
                    'Gestion de la démarche',
                    html`
                            <li><a class="fr-nav__link" href="/procedures/${p}/administrateurs">Administrateurs de la démarche</a></li>
                            <li><a class="fr-nav__link" href="/procedures/${p}/notification_preferences">Gestion des notifications</a></li>
                            <li><a class="fr-nav__link" href="/procedures/${p}/stats">Statistiques de la démarche</a></li>
                            <li><a class="fr-nav__link" href="/procedures/${p}/deleted_dossiers">Historique des dossiers supprimés</a></li>`,
                  )}${menu(
                    'user-support',
                    'Accompagnement des usagers',
                    html`
                            <li><a class="fr-nav__link" href="/procedures/${p}/email_usagers">Contacter les usagers avec un dossier "brouillon"</a></li>
                            <li><a target="_blank" rel="noopener" class="fr-nav__link" href="/procedures/${p}/apercu">Prévisualiser le formulaire</a></li>
                            <li><a class="fr-nav__link fr-link fr-link--md fr-link--icon-left fr-icon-clipboard-line" data-controller="clipboard" data-clipboard-text-value="${usagerLink}" data-action="click->clipboard#copy" href="#">Copier le lien usager de la démarche</a></li>`,
                  )}${menu(
                    'downloads',
                    'Téléchargements',
                    html`
                            <li><a class="fr-nav__link" href="/procedures/${p}/exports">Liste des exports</a></li>
                            <li><a class="fr-nav__link" href="/procedures/${p}/archives/list">Téléchargement mensuel</a></li>
                            <li><a class="fr-nav__link" href="/procedures/${p}/export_templates">Modèles d’export</a></li>`,
                  )}
                </div>
              </div>
            </div>
          </li>
        </ul>
      </nav>

      <div class="fr-hidden fr-unhidden-lg">
        ${title}
      </div>
    </div>

    <div class="fr-hidden-lg fr-mb-2w">
      ${title}
    </div>

    <ul
      class="
        procedure-stats flex fr-background-alt--grey fr-p-1w justify-around
        wrap
      "
    >${stat(listPath(p, 'a-suivre'), 'à suivre', counter(`procedure-${p}-a-suivre-count`, counts['a-suivre']), notificationDot(`procedure-${p}-a-suivre-notification`, statutsWithNews.has('a-suivre')))}${stat(listPath(p, 'suivis'), 'suivis par moi', counter(`procedure-${p}-followed-count`, counts.suivis), notificationDot(`procedure-${p}-suivis-notification`, statutsWithNews.has('suivis')))}${stat(listPath(p, 'traites'), 'traités', counter(`procedure-${p}-termines-count`, counts.traites), notificationDot(`procedure-${p}-traites-notification`, statutsWithNews.has('traites')))}${stat(listPath(p, 'tous'), 'au total', counter(`procedure-${p}-dossier-count`, counts.tous))}${
      demarche.expiresWhenTermine
        ? stat(listPath(p, 'expirant'), 'expirants', counter(`procedure-${p}-expirant-count`, counts.expirant))
        : ''
    }${stat(listPath(p, 'archives'), 'à archiver', html`<span class="fr-icon-folder-2-line fr-icon--sm"></span>`)}${stat(listPath(p, 'supprimes'), 'corbeille', html`<span class="fr-icon-delete-line fr-icon--sm"></span>`)}
    </ul>

    <div id="procedure-${p}-notifications"></div>
  </div>
</li>`;
}

export function proceduresPage(view: ProceduresView): SafeHtml {
  const count = view.procedures.length;
  const synthese =
    count > 1
      ? html`
      <button
        class="
          fr-btn fr-btn--sm fr-btn--tertiary-no-outline fr-btn--icon-left
          fr-icon-information-line
        "
        aria-controls="synthese-modal"
        data-fr-opened="false"
        turbo-frame="synthese-modal"
        data-action="lazy-modal#load"
        src="/procedures/synthese"
      >
        Synthèse des dossiers
      </button>`
      : '';
  const directAccess =
    count > 3
      ? html`
    <form class="width-66 fr-mb-3w" id="select-procedure-drop-down-list-component" data-turbo="false" data-controller="autosubmit" action="/procedures/select_procedure" accept-charset="UTF-8" method="post">${tokenInput(view.session)}
      <div class="flex align-center">
        <label class="fr-label font-weight-bold fr-mr-2w" id="select-procedure-drop-down-list-label" for="select-procedure-drop-down-list">Accès direct</label>
        <react-fragment class="flex-1">
          <react-component name="ComboBox/SingleComboBox" props="${JSON.stringify({
            items: view.procedures.map((s) => [`n°${s.demarche.number} - ${s.demarche.title}`, s.demarche.number]),
            placeholder: 'Sélectionnez une démarche',
            name: 'procedure_id',
            id: 'select-procedure-drop-down-list',
          })}"></react-component>
        </react-fragment>
        <input class="hidden" type="submit" formmethod="get" formaction="/procedures/select_procedure" formnovalidate="true" data-autosubmit-target="submitter">
      </div>
    </form>`
      : '';
  const body = html`
<div class="sub-header" data-controller="lazy-modal">
  <div class="fr-container">
    <div class="flex fr-mb-2v">
      <h1 class="fr-h3 fr-mb-0">Démarches</h1>
${synthese}
    </div>
${directAccess}
    <nav
      class="fr-tabs"
      role="navigation"
      aria-label="Démarches"
    >
      <ul class="fr-tabs__list">
        <li class="relative active">
          <div id="notification-sticker-en_cours"></div>
          <a aria-current="page" class="fr-tabs__tab" href="/procedures?statut=en-cours"><span class="fr-badge fr-badge--blue-ecume fr-mr-1w">${count}</span>en cours</a>
        </li>
        <li class="relative">
          <div id="notification-sticker-en_test"></div>
          <a class="fr-tabs__tab" href="/procedures?statut=brouillons"><span class="fr-badge fr-badge--blue-ecume fr-mr-1w">0</span>en test</a>
        </li>
        <li class="relative">
          <div id="notification-sticker-terminees"></div>
          <a class="fr-tabs__tab" href="/procedures?statut=archivees"><span class="fr-badge fr-badge--blue-ecume fr-mr-1w">0</span>terminées</a>
        </li>
      </ul>
    </nav>
  </div>
</div>

<div class="fr-container">
    <div class="flex justify-between fr-mb-3w">
      <h2 class="fr-h6 fr-m-0">${count} ${count === 1 ? 'démarche' : 'démarches'}</h2>
${
  count > 1
    ? html`
        <a class="fr-btn fr-btn--sm fr-btn--tertiary fr-btn--icon-left fr-icon-settings-5-line" href="/procedures/order_positions">Personnaliser l&#39;ordre</a>`
    : ''
}
    </div>
    <ul
      class="procedure-list fr-pl-0"
      data-controller="stream-loader"
      data-stream-loader-url-value="/procedures/counters"
    >${view.procedures.map((s) => card(view, s))}
    </ul>
</div>`;
  return layout({ title: 'Démarches', session: view.session, body });
}
