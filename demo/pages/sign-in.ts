/** DS's sign-in page, `/users/sign_in` (users/sessions/new.html.haml, Devise's `form_for resource`). */
import type { Session } from '../http/session';
import { tokenInput } from './forms';
import { html, type SafeHtml } from './html';
import { APPLICATION_NAME, layout } from './layout';

const LOGGED_OUT_HEADER = html`      <header class="fr-header" role="banner">
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
                </div>
                <div class="fr-header__service">
                  <a title="Accueil — ${APPLICATION_NAME}" href="/">
                    <span class="fr-header__service-title" lang="fr">${APPLICATION_NAME}</span>
                  </a>
                </div>
              </div>
            </div>
          </div>
        </div>
      </header>`;

export function signInPage(session: Session, email = ''): SafeHtml {
  const body = html`<div class="fr-container">
<div id="session-new" class="auth-form sign-in-form">
  <form class="new_user fr-py-5w" id="new_user" action="/users/sign_in" accept-charset="UTF-8" method="post">${tokenInput(session)}
    <h1 class="fr-h2">Connexion à ${APPLICATION_NAME}</h1>
    <fieldset class="fr-mb-0 fr-fieldset" aria-labelledby="new-account-legend">
      <legend class="fr-fieldset__legend" id="new-account-legend">
        <h2 class="fr-h6">Se connecter avec son compte</h2>
      </legend>
      <div class="fr-fieldset__element">
        <p class="fr-text--sm">Les champs suivis d’un astérisque ( <span class="mandatory">*</span> ) sont obligatoires.</p>
      </div>
      <div class="fr-fieldset__element">
        <div class="fr-input-group">
          <label class="fr-label" for="user_email">Adresse électronique <span class="mandatory">*</span>
            <span class="fr-hint-text">Format attendu : nom@domaine.fr</span>
          </label>
          <input class="fr-input" autocomplete="email" autofocus="autofocus" required="required" aria-required="true" type="email" value="${email}" name="user[email]" id="user_email">
        </div>
      </div>
      <div class="fr-fieldset__element">
        <div class="fr-input-group">
          <label class="fr-label" for="user_password">Mot de passe <span class="mandatory">*</span></label>
          <input class="fr-password__input fr-input" autocomplete="current-password" required="required" aria-required="true" type="password" name="user[password]" id="user_password">
        </div>
        <p><a class="fr-link" href="/users/password/new">Mot de passe oublié ?</a></p>
      </div>
      <div class="fr-fieldset__element">
        <div class="auth-options">
          <div class="flex-no-shrink">
            <input name="user[remember_me]" type="hidden" value="0" autocomplete="off"><input type="checkbox" value="1" name="user[remember_me]" id="user_remember_me">
            <label class="remember-me" for="user_remember_me">Se souvenir de moi</label>
          </div>
        </div>
      </div>
      <div class="fr-fieldset__element">
        <div class="fr-btns-group"><input type="submit" name="commit" value="Se connecter" class="fr-btn" data-disable-with="Se connecter"></div>
      </div>
    </fieldset>
  </form>
</div>
</div>`;
  return layout({ title: 'Se connecter', session, body, header: LOGGED_OUT_HEADER, pageId: 'auth' });
}
