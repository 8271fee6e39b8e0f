/**
 * The page layout every instructeur page shares (layouts/application.html.erb, layouts/_header.haml):
 * meta tags with the CSRF token, the DSFR stylesheets, the DSFR header with the signed-in e-mail and
 * the instructeur badge, `main#contenu` with the flash messages, the footer.
 */
import type { Session } from '../http/session';
import { maskedToken } from '../http/session';
import { STYLESHEETS } from './assets';
import { html, type SafeHtml } from './html';

export const APPLICATION_NAME = 'demarche.numerique.gouv.fr';

function flashMessages(session: Session): SafeHtml {
  const { notice, alert } = session.flash;
  session.flash = {};
  const item = (kind: 'success' | 'danger', role: string, text: string | undefined) =>
    text
      ? html`
          <div class="alert alert-${kind} fr-p-2w" role="${role}">
            ${text}
          </div>`
      : '';
  return html`<div id="flash_messages" tabindex="-1" data-turbo-force="server">
          <div id="flash_message" class="center ">${item('success', 'status', notice)}${item('danger', 'alert', alert)}
          </div>
        </div>`;
}

function instructeurHeader(email: string): SafeHtml {
  return html`      <header class="fr-header" role="banner">
        <nav role="navigation" aria-label="Menu principal">
          <div class="fr-header__body">
            <div class="fr-container">
              <div class="fr-header__body-row">
                <div class="fr-header__brand fr-enlarge-link">
                  <div class="fr-header__brand-top">
                    <div class="fr-header__logo">
                      <p class="fr-logo" lang="fr">
                        République
                        <br>Française
                      </p>
                    </div>
                    <div class="fr-header__navbar">
                      <button class="fr-btn--search fr-btn" aria-controls="search-modal" data-fr-opened="false" title="Rechercher un dossier (par n° de dossier, mots-clés…)">Rechercher un dossier (par n° de dossier, mots-clés…)</button>
                      <button class="lasuite-gaufre-btn lasuite-gaufre-btn--vanilla js-lasuite-gaufre-btn lasuite-gaufre-btn--small" title="Les services de La Suite numérique" type="button">
                        Les services de La Suite numérique
                      </button>
                      <button class="fr-btn--menu fr-btn" id="navbar-burger-button" aria-controls="modal-header__menu" data-fr-opened="false" title="Menu">Menu</button>
                    </div>
                  </div>
                  <div class="fr-header__service">
                    <a title="Aller à la liste des démarches — demarche.numerique.gouv.fr" href="/procedures">
                      <span class="fr-header__service-title" lang="fr">demarche.numerique.gouv.fr</span>
                    </a>
                  </div>
                </div>
                <div class="fr-header__tools">
                  <div class="fr-header__tools-links relative">
                    <ul class="fr-btns-group flex align-center">
                      <li>
                        <nav class="fr-translate fr-nav" role="navigation" aria-label="Mon profil">
                          <div class="fr-nav__item">
                            <button class="account-btn fr-translate__btn fr-btn" aria-controls="account" aria-expanded="false" title="Mon profil">
                              <span class="fr-mr-1w">${email}</span>
                              <span class="fr-badge fr-badge--sm fr-badge--yellow-tournesol">
                                instructeur
                              </span>
                            </button>
                            <div class="fr-collapse fr-menu" id="account">
                              <ul class="fr-menu__list max-content">
                                <li>
                                  <a class="fr-nav__link" aria-current="true" href="#">
                                    connecté en tant qu’instructeur
                                  </a>
                                </li>
                                <li>
                                  <a class="fr-nav__link" href="/dossiers">
                                    <span class="fr-icon-refresh-line fr-icon--sm"></span>
                                    Passer en usager
                                  </a>
                                </li>
                                <li>
                                  <a class="fr-nav__link" href="/profil">
                                    <span class="fr-icon-user-line fr-icon--sm"></span>
                                    Voir mon profil
                                  </a>
                                </li>
                                <li>
                                  <a class="fr-nav__link" rel="nofollow" data-method="delete" href="/users/sign_out">
                                    <span class="fr-icon-logout-box-r-line fr-icon--sm"></span>
                                    Se déconnecter
                                  </a>
                                </li>
                              </ul>
                            </div>
                          </div>
                        </nav>
                      </li>
                      <li>
                        <div class="fr-translate fr-nav">
                          <div class="fr-nav__item">
                            <button class="help-btn fr-translate__btn fr-btn" aria-controls="help-menu" aria-expanded="false">
                              Aide
                            </button>
                            <div class="help-content fr-collapse fr-menu" id="help-menu">
                              <div class="fr-menu__list"><!-- shared/help/dropdown_items/_faq_item, _email_item (content omitted) --></div>
                            </div>
                          </div>
                        </div>
                      </li>
                      <li class="fr-mr-1v fr-hidden fr-unhidden-lg">
                        <button class="lasuite-gaufre-btn lasuite-gaufre-btn--vanilla js-lasuite-gaufre-btn lasuite-gaufre-btn--small box-shadow-none" title="Les services de La Suite numérique" type="button">
                          Les services de La Suite numérique
                        </button>
                      </li>
                    </ul>
                  </div>
                  <div id="search-modal" class="fr-header__search fr-modal" aria-label="Rechercher un dossier (par n° de dossier, mots-clés…)">
                    <div class="fr-container fr-container-lg--fluid">
                      <button class="fr-btn--close fr-btn" aria-controls="search-modal" title="Fermer la fenêtre modale">
                        Fermer
                      </button>
                      <div id="search-473" class="fr-search-bar fr-mt-2w">
                        <form role="search" class="flex width-100" action="/recherche" accept-charset="UTF-8" method="get">
                          <input type="hidden" name="context" id="context" value="instructeur" autocomplete="off">
                          <label class="sr-only" for="q">Rechercher un dossier (par n° de dossier, mots-clés…)</label>
                          <input type="text" name="q" id="q" value="" placeholder="Rechercher un dossier (par n° de dossier, mots-clés…)" class="fr-input">
                          <button class="fr-btn">
                            Rechercher
                          </button>
                        </form>
                      </div>
                    </div>
                  </div>
                </div>
              </div>
            </div>
          </div>
          <div class="fr-header__menu fr-modal" id="modal-header__menu" aria-labelledby="navbar-burger-button">
            <div class="fr-container">
              <button class="fr-btn--close fr-btn" aria-controls="modal-header__menu" title="Fermer la fenêtre modale">Fermer</button>
              <div class="fr-header__menu-links">
              </div>
              <div class="fr-nav" id="header-navigation">
                <ul class="fr-nav__list">
                  <li class="fr-nav__item">
                    <a class="fr-nav__link" aria-current="true" href="/procedures">Démarches</a>
                  </li>
                  <li class="fr-nav__item fr-nav__notifiable">
                    <a class="fr-nav__link" href="/release_notes">Nouveautés</a>
                  </li>
                </ul>
              </div>
            </div>
          </div>
        </nav>
      </header>`;
}

export interface PageOptions {
  /** `content_for(:title)`: the part before " · demarche.numerique.gouv.fr". */
  title: string;
  session: Session;
  body: SafeHtml;
  /** Signed-in pages show the instructeur header; the sign-in page a plain one. */
  header?: SafeHtml;
  /** `content_for(:page_id)`: the body id (`auth` on the sign-in page, empty elsewhere). */
  pageId?: string;
}

export function layout({ title, session, body, header, pageId = '' }: PageOptions): SafeHtml {
  return html`<!DOCTYPE html>
<html lang="fr" class="" data-fr-scheme="system">
  <head>
    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
    <meta http-equiv="X-UA-Compatible" content="IE=edge">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="application-name" content="${APPLICATION_NAME}">
    <meta name="apple-mobile-web-app-title" content="${APPLICATION_NAME}">
    <meta name="format-detection" content="telephone=no,date=no,address=no,email=no,url=no">
    <meta name="csrf-param" content="authenticity_token" />
<meta name="csrf-token" content="${maskedToken(session)}" />
    <title>
      ${title} · ${APPLICATION_NAME}
    </title>
${STYLESHEETS.map(
  (href) => html`    <link rel="stylesheet" href="${href}" media="all">
`,
)}  </head>
  <body id="${pageId}" class="" data-controller="turbo number-input fix-table-border">
    <div class="fr-skiplinks">
      <nav class="fr-container" role="navigation" aria-label="Accès rapide">
        <a class="fr-link" href="#contenu">Contenu</a>
      </nav>
    </div>
    <dialog id="fr-theme-modal" class="fr-modal" aria-labelledby="fr-theme-modal-title" role="dialog"></dialog>

    <div class="page-wrapper">
      <div id="sticky-header" class="sticky-header-container">
      </div>
${header ?? instructeurHeader(session.email ?? '')}
      <main id="contenu" role="main">
        ${flashMessages(session)}
${body}
      </main>
      <footer class="procedure-footer fr-footer__bottom" role="contentinfo">
        <div class="fr-container"></div>
      </footer>
    </div>
  </body>
</html>
`;
}
