/**
 * `instructeurs/procedures/_dossier_actions.html.haml`: the action buttons of a dossier, rendered
 * both in the list rows (`turbo: false`, no menu) and in the dossier header (`turbo: true`, with the
 * "en construction" menu), with the same locals DS passes.
 */
import { type Dossier, isTermine } from '../data/model';
import type { Session } from '../http/session';
import type { Statut } from '../rules/statuts';
import { buttonTo } from './forms';
import { html, raw, type SafeHtml } from './html';
import { dossierActionPath, dossierPath } from './urls';

export interface DossierActionsLocals {
  session: Session;
  demarche: number;
  dossier: Dossier;
  /** The page's statut (`params[:statut]`), used by the helpers that pass it. */
  statut: Statut;
  followed: boolean;
  closeToExpiration: boolean;
  hiddenByAdministration: boolean;
  hiddenByExpired: boolean;
  turbo: boolean;
  /** `with_menu`: the "en construction" dropdown of the dossier header. */
  menu: SafeHtml | null;
}

const li = (...parts: SafeHtml[]) => html`
          <li>
            ${parts}
          </li>`;
const nl = raw('\n            ');

export function dossierActions(l: DossierActionsLocals): SafeHtml {
  const { session, demarche: p, dossier, statut, turbo } = l;
  const d = dossier.number;
  const destroy = (path: string) =>
    buttonTo(session, {
      action: path,
      method: 'delete',
      className: 'fr-btn fr-btn--secondary fr-icon-delete-line icon-only danger',
      title: 'Mettre à la corbeille',
      label: '',
    });
  const repasserEnInstruction = (path: string) =>
    buttonTo(session, {
      action: path,
      className: 'fr-btn fr-btn--secondary fr-icon-edit-line',
      label: 'Repasser en instruction',
      turbo,
    });

  if (l.hiddenByAdministration) {
    return l.hiddenByExpired
      ? li(
          buttonTo(session, {
            action: dossierActionPath(p, d, 'repousser-expiration-and-restore'),
            className: 'fr-btn fr-icon-refresh-line',
            label: 'Restaurer et étendre la conservation',
          }),
        )
      : li(
          buttonTo(session, {
            action: dossierActionPath(p, d, 'restore'),
            method: 'patch',
            className: 'fr-btn fr-icon-refresh-line',
            label: 'Restaurer',
          }),
        );
  }
  if (l.closeToExpiration) {
    return li(
      repasserEnInstruction(dossierActionPath(p, d, 'repasser-en-instruction')),
      nl,
      buttonTo(session, {
        action: dossierActionPath(p, d, 'repousser-expiration'),
        className: 'fr-btn',
        label: 'Conserver un mois de plus',
      }),
    );
  }
  if (isTermine(dossier.state) && dossier.archived) {
    return li(
      buttonTo(session, {
        action: dossierActionPath(p, d, 'unarchive'),
        method: 'patch',
        className: 'fr-btn fr-icon-upload-2-line',
        label: 'Replacer dans “traités”',
      }),
      nl,
      destroy(`/procedures/${p}/a-suivre/dossiers/${d}`),
    );
  }
  if (isTermine(dossier.state)) {
    return li(
      repasserEnInstruction(dossierActionPath(p, d, 'repasser-en-instruction', statut)),
      nl,
      buttonTo(session, {
        action: dossierActionPath(p, d, 'archive', statut),
        method: 'patch',
        className: 'fr-btn fr-icon-folder-2-line',
        label: 'Déplacer dans “à archiver“',
      }),
      nl,
      destroy(dossierPath(p, statut, d)),
    );
  }
  const follow = li(
    buttonTo(session, {
      action: dossierActionPath(p, d, l.followed ? 'unfollow' : 'follow', statut),
      method: 'patch',
      className: `fr-btn fr-btn--secondary ${l.followed ? 'fr-icon-star-fill' : 'fr-icon-star-line'}`,
      label: l.followed ? 'Ne plus suivre' : 'Suivre',
    }),
  );
  const menu = l.menu
    ? html`
          <li class="en-construction-menu" data-turbo="${String(turbo)}">
${l.menu}
          </li>`
    : '';
  const next =
    dossier.state === 'en_construction'
      ? buttonTo(session, {
          action: dossierActionPath(p, d, 'passer-en-instruction', statut),
          className: 'fr-btn fr-icon-edit-line',
          label: 'Passer en instruction',
        })
      : l.menu
        ? null
        : buttonTo(session, {
            action: dossierActionPath(p, d, 'repasser-en-construction', statut),
            className: 'fr-btn fr-btn--secondary fr-icon-draft-line',
            label: 'Repasser en construction',
          });
  const last = next
    ? html`
          <li data-turbo="${String(turbo)}">
            ${next}
          </li>`
    : '';
  return html`${follow}${menu}${last}`;
}
