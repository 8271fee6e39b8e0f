/**
 * The instructeur dossier page `/procedures/:p/:statut/dossiers/:d(/:tab)`
 * (instructeurs/dossiers/show.html.haml: `_header_top`, `_expiration_banner`, `_header_actions`,
 * `_header_bottom`, and a simplified `shared/dossiers/_demande` body). The expiration banner follows
 * the instance's rules: DS's template of January 2026 (`2025`), or since June 2026 (`2026`).
 */
import { randomUUID } from 'node:crypto';
import type { ChampValue, DossierContent, StoredFile } from '../data/content';
import { type Demarche, type Dossier, ownerName } from '../data/model';
import type { Session } from '../http/session';
import { hasExpired, isCloseToExpiration, isExpirable, type RuleSet, retentionMonths } from '../rules/expiry';
import { notificationBadges, type Statut } from '../rules/statuts';
import { frenchDateTime, frenchShortDate } from '../time';
import { dossierActions } from './dossier-actions';
import { notificationBadge, stateBadge, stateLabel, truncate } from './format';
import { tokenInput } from './forms';
import { html, raw, type SafeHtml } from './html';
import { layout } from './layout';
import { messagerieTab } from './messagerie';
import { dossierActionPath, dossierPath, listPath, zipPath } from './urls';

export const DOSSIER_TABS = {
  demande: { label: 'Demande', title: 'Demande', sticker: 'demande', path: '' },
  pieces_jointes: {
    label: 'Pièces jointes',
    title: 'Pièces jointes',
    sticker: 'pieces_jointes',
    path: '/pieces_jointes',
  },
  'annotations-privees': {
    label: 'Annotations privées',
    title: 'Annotations privées',
    sticker: 'annotations_privees',
    path: '/annotations-privees',
  },
  avis: { label: 'Avis externes', title: 'Avis', sticker: 'avis_externes', path: '/avis' },
  messagerie: { label: 'Messagerie', title: 'Messagerie', sticker: 'messagerie', path: '/messagerie' },
  'personnes-impliquees': {
    label: 'Personnes impliquées',
    title: 'Personnes impliquées',
    sticker: 'personnes_impliquees',
    path: '/personnes-impliquees',
  },
} as const;
export type DossierTab = keyof typeof DOSSIER_TABS;

export interface DossierView {
  session: Session;
  me: string;
  now: Date;
  demarche: Demarche;
  dossier: Dossier;
  content: DossierContent;
  statut: Statut;
  tab: DossierTab;
  /** Neighbours in the list the page was opened from. */
  previous: number | null;
  next: number | null;
  rules: RuleSet;
  /** A signed download URL of a file (its link in the messagerie). */
  fileUrl: (file: StoredFile) => string;
}

/** `shared.dossiers.header.expires_at.<state>`, with the locale file's double space for accepté/refusé. */
export function expiresAtText(dossier: Dossier, demarche: Demarche): string {
  const date = frenchShortDate(dossier.expiredAt!);
  const months = retentionMonths(dossier, demarche);
  switch (dossier.state) {
    case 'en_construction':
      return `Expirera le ${date} (${months} mois après le dépôt du dossier)`;
    case 'sans_suite':
      return `Expirera le ${date} (${months} mois après le traitement dossier)`;
    default:
      return `Expirera le ${date}  (${months} mois après le traitement du dossier)`;
  }
}

/**
 * What `_expiration_banner` shows for a dossier that does not expire. 2025: the en instruction line
 * (where processed dossiers expire). 2026: no en instruction line (PR #13248); for en construction
 * « Ce dossier est en construction, il n’expirera pas » (PR #13212) on some dossiers, nothing on others.
 */
function neverExpiresLine(view: DossierView): SafeHtml {
  const { dossier, demarche, rules } = view;
  if (rules === '2025') {
    return dossier.state === 'en_instruction' && demarche.expiresWhenTermine
      ? html`
    <p class="expires_at_en_instruction fr-text--sm">
      Ce dossier est en instruction, il n’expirera pas
    </p>`
      : html``;
  }
  return dossier.state === 'en_construction' && dossier.neverExpiresLine
    ? html`
    <p class="expires_at_en_construction fr-text--sm">Ce dossier est en construction, il n’expirera pas</p>`
    : html``;
}

/** `_expiration_banner`. */
function expirationBanner(view: DossierView): SafeHtml {
  const { dossier, demarche, now, session, rules } = view;
  if (!isExpirable(dossier, demarche, rules) || !dossier.expiredAt) return neverExpiresLine(view);
  const extended = dossier.conservationExtensionMonths > 0 ? ' – la date de conservation a déjà été étendue' : '';
  const expired = hasExpired(dossier, now, rules);
  const callout =
    isCloseToExpiration(dossier, now, rules) || expired
      ? html`
    <div class="fr-callout fr-callout--brown-caramel">
      <h3 class="fr-callout__title">
        ${expired ? 'Ce dossier a expiré' : 'Ce dossier va expirer'}
      </h3>
      <p class="fr-callout__text">
        ${
          dossier.state === 'en_construction'
            ? 'Ce dossier est en attente de prise en charge. Vous pouvez toutefois étendre cette durée d’un mois en cliquant sur le bouton suivant.'
            : 'Le traitement de ce dossier est terminé, mais il va bientôt être supprimé. Si vous souhaitez en conserver une trace, vous pouvez le télécharger au format PDF.'
        }
      </p>${
        dossier.state === 'en_construction'
          ? html`
      <form class="button_to" method="post" action="${dossierActionPath(demarche.number, dossier.number, 'repousser-expiration')}"><button class="fr-btn" id="test-instructeur-repousser-expiration" type="submit">Conserver un mois de plus</button>${tokenInput(session)}</form>`
          : ''
      }
    </div>`
      : '';
  return html`
    <p class="expires_at fr-mb-1w fr-text--sm">
      ${expiresAtText(dossier, demarche)}${extended}
    </p>${callout}`;
}

function dropdown(id: string, buttonClass: string, label: string, items: SafeHtml, wrapperAttributes = ''): SafeHtml {
  return html`<div ${raw(wrapperAttributes)}class="dropdown" data-controller="menu-button">
  <button class="fr-btn dropdown-button${buttonClass}" id="${id}_button" data-menu-button-target="button" aria-expanded="false" aria-haspopup="true" aria-controls="${id}">
    ${label}
    <span class="fr-ml-2v" aria-hidden="true"></span>
  </button>
  <div data-menu-button-target="menu" id="${id}" aria-labelledby="${id}_button" role="region" tabindex="-1" class="dropdown-content">
  <ul class="dropdown-items" role="none">${items}
  </ul>
  </div>
</div>`;
}

function motivationForm(
  view: DossierView,
  kind: string,
  action: string,
  confirm: string,
  placeholder: string,
  submit: SafeHtml,
  required: boolean,
): SafeHtml {
  const attachLabel =
    kind === 'pending_correction' ? 'Ajouter une pièce jointe (facultatif)' : 'Ajouter un justificatif (optionnel)';
  return html`<form data-turbo="true" data-turbo-confirm="${confirm}" enctype="multipart/form-data" action="${action}" accept-charset="UTF-8" method="post">${tokenInput(view.session)}
                <textarea class="fr-input" placeholder="${placeholder}"${required ? raw(' required="required"') : ''} name="dossier[motivation]" id="dossier_motivation">
</textarea>
                <div class="optional-justificatif" id="justificatif_motivation_suggest_${kind}" onclick="DS.showImportJustificatif('${kind}');">
                  <button class="fr-btn fr-btn--tertiary-no-outline fr-btn--icon-left fr-icon-attachment-line fr-ml-0" type="button" onclick="DS.showImportJustificatif('accept');">${attachLabel}</button>
                </div>
                <div class="hidden" id="justificatif_motivation_import_${kind}"></div>
                <div class="hidden js_delete_motivation" id="delete_motivation_import_${kind}"></div>
                <div class="hidden" id="alert-error-annotation"></div>
                <div class="fr-btns-group fr-btns-group--sm fr-mt-2w">
                  <button name="button" type="reset" class="fr-btn fr-btn--secondary" onclick="DS.motivationCancel();">Annuler</button>
                  ${submit}
                </div>
              </form>`;
}

/** `Instructeurs::EnConstructionMenuComponent`. */
function enConstructionMenu(view: DossierView): SafeHtml {
  const { demarche, dossier, statut } = view;
  const revert =
    dossier.state === 'en_instruction'
      ? html`
    <li role="none">
      <a role="menuitem" rel="nofollow" data-method="post" href="${dossierActionPath(demarche.number, dossier.number, 'repasser-en-construction', statut)}"><span class="fr-icon fr-icon-draft-line fr-text-default--info fr-mt-1v" aria-hidden="true"></span>
        <div class="dropdown-description">
          <h4>Repasser en construction</h4>
          L’usager pourra modifier le dossier. Informez-le si nécessaire
        </div>
      </a>
    </li>`
      : '';
  const items = html`${revert}
    <li role="none">
      <a role="menuitem" onclick="DS.showMotivation(event, 'pending_correction');" href="#"><span class="fr-icon fr-icon-error-warning-line fr-text-default--info fr-mt-1v" aria-hidden="true"></span>
        <div class="dropdown-description">
          <h4>Demander une correction</h4>
          L’usager sera informé que des modifications sont attendues.
        </div>
      </a>
    </li>
    <li class="inactive form-inside fr-pt-1v" role="none">
      <div class="motivation pending_correction fr-pb-2w fr-px-2w">
              ${motivationForm(
                view,
                'pending_correction',
                dossierActionPath(demarche.number, dossier.number, 'pending_correction', statut),
                'Envoyer la demande de corrections ?',
                'Expliquez au demandeur quelle(s) correction(s) sont attendues',
                html`<button name="process_action" type="submit" class="fr-btn" title="Marquer en attente de corrections">Valider et repasser en construction</button>`,
                true,
              )}
            </div>
    </li>`;
  const label = dossier.state === 'en_instruction' ? 'Repasser en construction' : 'Demander une correction';
  return dropdown('menu-en-construction', ' fr-btn--secondary', label, items);
}

const DECISIONS = [
  {
    kind: 'accept',
    icon: 'fr-icon-checkbox-circle-fill fr-text-default--success',
    title: 'Accepter',
    text: 'L’usager sera informé que son dossier a été accepté',
    confirm: 'Confirmez-vous l’acceptation ce dossier ?',
    placeholder: 'Expliquez au demandeur pourquoi ce dossier est accepté (facultatif)',
    action: 'accepter',
  },
  {
    kind: 'without-continuation',
    icon: 'fr-icon-intermediate-circle-fill fr-text-mention--grey',
    title: 'Classer sans suite',
    text: 'L’usager sera informé que son dossier a été classé sans suite',
    confirm: 'Confirmez-vous le classement sans suite de ce dossier ?',
    placeholder: 'Expliquez au demandeur pourquoi ce dossier est classé sans suite (obligatoire)',
    action: 'classer_sans_suite',
  },
  {
    kind: 'refuse',
    icon: 'fr-icon-close-circle-fill fr-text-default--warning',
    title: 'Refuser',
    text: 'L’usager sera informé que son dossier a été refusé',
    confirm: 'Confirmez-vous le refus de ce dossier ?',
    placeholder: 'Expliquez au demandeur pourquoi ce dossier est refusé (obligatoire)',
    action: 'refuser',
  },
] as const;

/** `Instructeurs::InstructionMenuComponent` (en instruction only). */
function instructionMenu(view: DossierView): SafeHtml {
  if (view.dossier.state !== 'en_instruction') return html``;
  const action = dossierActionPath(view.demarche.number, view.dossier.number, 'terminer', view.statut);
  const items = DECISIONS.map(
    (d) => html`
    <li role="none">
      <a role="menuitem" onclick="DS.showMotivation(event, '${d.kind}');" href="#"><span class="${d.icon}" aria-hidden="true"></span>
        <div class="dropdown-description">
          <h4>${d.title}</h4>
          ${d.text}
        </div>
      </a>
    </li>
    <li class="hidden inactive form-inside fr-pt-1v" role="none">
      <div class="motivation ${d.kind} hidden fr-pb-2w fr-px-2w">
              ${motivationForm(
                view,
                d.kind,
                action,
                d.confirm,
                d.placeholder,
                html`<button name="process_action" type="submit" value="${d.action}" class="fr-btn" title="${d.title}">Valider la décision</button>`,
                d.kind !== 'accept',
              )}
            </div>
    </li>`,
  );
  return html`
${dropdown(randomUUID(), '', 'Instruire le dossier', html`${items}`, 'data-turbo-force="server" ')}
`;
}

/** `_header_actions`: `_dossier_actions` with `turbo: true, with_menu: true`, then the instruction menu. */
function headerActions(view: DossierView): SafeHtml {
  const { demarche, dossier, statut, now } = view;
  const p = demarche.number;
  const d = dossier.number;
  const actions = dossierActions({
    session: view.session,
    demarche: p,
    dossier,
    statut,
    followed: dossier.followers.includes(view.me),
    closeToExpiration: isCloseToExpiration(dossier, now, view.rules),
    hiddenByAdministration: !!dossier.hiddenByAdministrationAt,
    hiddenByExpired: !!dossier.hiddenByExpiredAt,
    turbo: true,
    menu: enConstructionMenu(view),
  });
  return html`<div class="header-actions fr-ml-auto">
        <div class="flex justify-end fr-mb-1w">
          <ul class="fr-btns-group fr-btns-group--sm fr-btns-group--inline-md fr-btns-group--icon-left">${actions}
        <li class="instruction-button">${instructionMenu(view)}
        </li>
          </ul>
          <div class="border-left-light fr-ml-2w fr-mb-1v"></div>
<li class="dropdown" data-controller="menu-button">
  <button class="fr-btn dropdown-button fr-btn--sm fr-btn--secondary fr-icon-download-line" id="print-pj-menu_button" title="Télécharger" data-menu-button-target="button" aria-expanded="false" aria-haspopup="true" aria-controls="print-pj-menu">
    Télécharger
    <span class="fr-ml-2v" aria-hidden="true"></span>
  </button>
  <div data-menu-button-target="menu" id="print-pj-menu" aria-labelledby="print-pj-menu_button" role="menu" tabindex="-1" class="dropdown-content">
  <ul class="dropdown-items" role="none">
    <li role="none">
      <a target="_blank" rel="noopener" class="menu-item menu-link" role="menuitem" href="${zipPath(p, d)}">
        Télécharger le dossier et toutes ses pièces jointes
      </a>
    </li>
  </ul>
  </div>
</li>
<li class="dropdown" data-controller="menu-button">
  <button class="fr-btn dropdown-button fr-btn--sm fr-btn--secondary fr-icon-printer-line fr-ml-2w" id="print-menu_button" title="Imprimer" data-menu-button-target="button" aria-expanded="false" aria-haspopup="true" aria-controls="print-menu">
    Imprimer
    <span class="fr-ml-2v" aria-hidden="true"></span>
  </button>
  <div data-menu-button-target="menu" id="print-menu" aria-labelledby="print-menu_button" role="menu" tabindex="-1" class="dropdown-content">
  <ul class="dropdown-items" role="none">
    <li role="none">
      <a role="menuitem" target="_blank" rel="noopener" class="menu-item menu-link" href="/procedures/${p}/dossiers/${d}/print">
        Tout le dossier
      </a>
    </li>
    <li role="none">
      <a role="menuitem" onclick="window.print()" class="menu-item menu-link" href="#">
        Uniquement cet onglet
      </a>
    </li>
    <li role="none">
      <a target="_blank" rel="noopener" class="menu-item menu-link" role="menuitem" href="${dossierPath(p, statut, d)}.pdf">
        Export PDF
      </a>
    </li>
  </ul>
  </div>
</li>
        </div>
      </div>`;
}

const GENERIC_LABELS = [
  { id: 11, name: 'À examiner', color: 'purple-glycine' },
  { id: 12, name: 'À relancer', color: 'green-tilleul-verveine' },
  { id: 13, name: 'Complet', color: 'green-emeraude' },
  { id: 14, name: 'À signer', color: 'blue-ecume' },
  { id: 15, name: 'Urgent', color: 'pink-macaron' },
];

function labelsMenu(view: DossierView): SafeHtml {
  const id = randomUUID();
  const action = `${dossierPath(view.demarche.number, view.statut, view.dossier.number)}/dossier_labels`;
  const choices = GENERIC_LABELS.map(
    (l) => html`
                  <div class="fr-fieldset__element">
                    <div class="fr-checkbox-group fr-checkbox-group--sm fr-mb-1w">
                      <input type="checkbox" value="${l.id}" name="label_id[]" id="label_id_${l.id}">
                      <label class="fr-label fr-tag fr-tag--sm fr-tag--${l.color}" for="label_id_${l.id}">${l.name}</label>
                    </div>
                  </div>`,
  );
  return html`<span class="dropdown" data-controller="menu-button">
  <button class="fr-btn dropdown-button fr-btn--sm fr-btn--tertiary-no-outline fr-pl-1v" id="${id}_button" data-menu-button-target="button" aria-expanded="false" aria-haspopup="true" aria-controls="${id}">
    Ajouter un label
    <span class="fr-ml-2v" aria-hidden="true"></span>
  </button>
  <div data-menu-button-target="menu" id="${id}" aria-labelledby="${id}_button" role="region" tabindex="-1" class="dropdown-content dropdown-label left-aligned">
    <form class="fr-p-3w" data-controller="autosubmit" data-turbo="true" action="${action}" accept-charset="UTF-8" method="post">${tokenInput(view.session)}
      <fieldset class="fr-fieldset fr-mt-2w fr-mb-0">${choices}
      </fieldset>
    </form>
  </div>
</span>`;
}

function headerTop(view: DossierView, title: string): SafeHtml {
  const { demarche, dossier, statut } = view;
  const p = demarche.number;
  const base = dossierPath(p, statut, dossier.number);
  const badges = notificationBadges(dossier, view.me, view.now);
  const badgeGroup = badges.length
    ? html`
        <ul class="fr-badge-group">${badges.map((b) => html`<li>${notificationBadge(b)}</li>`)}</ul>`
    : '';
  const previous =
    view.previous === null
      ? html`<span class="fr-text-mention--grey no-wrap fr-text--sm fr-icon-arrow-left-line fr-link--icon-left">Dossier précédent</span>`
      : html`<a class="fr-link no-wrap fr-text--sm fr-icon-arrow-left-line fr-link--icon-left" href="${base}/previous">Dossier précédent</a>`;
  const next =
    view.next === null
      ? html`<span class="fr-text-mention--grey no-wrap fr-text--sm fr-ml-3w fr-icon-arrow-right-line fr-link--icon-right">Dossier suivant</span>`
      : html`<a class="fr-link no-wrap fr-text--sm fr-ml-3w fr-icon-arrow-right-line fr-link--icon-right" href="${base}/next">Dossier suivant</a>`;
  return html`<div id="header-top" class="fr-container">
    <div class="flex fr-mb-1w align-start">
      <a class="back-btn fr-btn fr-btn--secondary fr-btn--sm fr-mr-2w fr-px-1v" title="Retour à la liste des dossiers" href="${listPath(p, statut)}"><span class="fr-icon-arrow-left-line" aria-hidden="true"></span></a>
      <h1 class="fr-h3 fr-mb-0">
        ${title}
      </h1>
      <div class="fr ml-auto align-center flex fr-mt-2v">
        ${previous}
        ${next}
      </div>
    </div>
    <p class="fr-text--bold fr-mb-0">
      ${demarche.title.split(' ').slice(0, 15).join(' ')}
    </p>
    <div>
      <div class="fr-my-1w fr-badge-group">
        ${stateBadge(dossier.state)}${badgeGroup}
      </div>
    </div>${expirationBanner(view)}
    <div class="flex">
      <div class="fr-mb-3w">
        ${labelsMenu(view)}
      </div>
      ${headerActions(view)}
    </div>
  </div>`;
}

function headerBottom(view: DossierView): SafeHtml {
  const base = dossierPath(view.demarche.number, view.statut, view.dossier.number);
  const tabs = (Object.keys(DOSSIER_TABS) as DossierTab[])
    .filter((tab) => tab !== 'pieces_jointes' || view.content.files.length > 0)
    .map((tab) => {
      const { label, sticker, path } = DOSSIER_TABS[tab];
      const active = tab === view.tab;
      const news =
        (tab === 'messagerie' && view.dossier.news.includes('message')) ||
        (tab === 'annotations-privees' && view.dossier.news.includes('annotation')) ||
        (tab === 'avis' && view.dossier.news.includes('avis'));
      const dot =
        news && view.dossier.followers.includes(view.me)
          ? html`
          <span class="notifications" aria-label="notifications"></span>
        `
          : '';
      return html`
      <li class="relative${active ? ' active' : ''}">
        <div id="notification-sticker-${sticker}">${dot}</div>
        <a ${active ? html`aria-current="page" ` : ''}class="fr-tabs__tab" href="${base}${path}">${label}</a>
      </li>`;
    });
  return html`<div id="header-bottom" class="fr-container">
    <nav class="fr-tabs" role="navigation" aria-label="Dossier numéro ${view.dossier.number}">
      <ul class="fr-tabs__list">${tabs}
      </ul>
    </nav>
  </div>`;
}

function champRows(champs: readonly ChampValue[]): SafeHtml[] {
  return champs.map((champ) => {
    const { descriptor } = champ;
    if (descriptor.type === 'header_section') return html`<h3 class="fr-h6 fr-px-2w fr-mt-3w">${descriptor.label}</h3>`;
    if (descriptor.type === 'explication') return html`<p class="fr-px-2w fr-text--sm">${descriptor.label}</p>`;
    if (descriptor.type === 'repetition') {
      return html`<div class="fr-px-2w"><dt>${descriptor.label}</dt><dd>${champ.rows.map(
        (r) => html`<dl class="fr-pl-2w">${champRows(r.champs)}</dl>`,
      )}</dd></div>`;
    }
    return html`<div class="fr-px-2w"><dt>${descriptor.label}</dt><dd>${displayValue(champ)}</dd></div>`;
  });
}

export function displayValue(champ: ChampValue): string {
  const { value } = champ;
  if (champ.descriptor.type === 'piece_justificative') return champ.files.map((f) => f.filename).join(', ');
  if (value instanceof Date) return frenchShortDate(value);
  if (typeof value === 'boolean') return value ? 'Oui' : 'Non';
  return value === null ? '' : String(value);
}

function historique(dossier: Dossier): string[] {
  const lines = [`Déposé le ${frenchDateTime(dossier.deposeAt)}`];
  if (dossier.enInstructionAt) lines.push(`Passé en instruction le ${frenchDateTime(dossier.enInstructionAt)}`);
  if (dossier.processedAt) {
    const verb = { accepte: 'Accepté', refuse: 'Refusé', sans_suite: 'Classé sans suite' }[
      dossier.state as 'accepte' | 'refuse' | 'sans_suite'
    ];
    lines.push(`${verb} le ${frenchDateTime(dossier.processedAt)}`);
  }
  return lines;
}

function demandeBody(view: DossierView): SafeHtml {
  const { dossier } = view;
  const identity =
    dossier.demandeur.kind === 'morale'
      ? html`<dl><dt>Dénomination</dt><dd>${dossier.demandeur.raisonSociale}</dd><dt>SIRET</dt><dd>${dossier.demandeur.siret}</dd></dl>`
      : html`<dl><dt>Civilité</dt><dd>${dossier.demandeur.civilite}</dd><dt>Nom</dt><dd>${dossier.demandeur.nom}</dd><dt>Prénom</dt><dd>${dossier.demandeur.prenom}</dd></dl>`;
  return html`<h2 class="fr-h6 fr-background-alt--grey fr-mb-0">
          <div class="flex-grow fr-py-3v fr-px-2w">Historique du dossier</div>
        </h2>
        <div class="fr-px-2w fr-mb-4w">
          <div class="fr-my-2w">
            <ul>
              ${historique(dossier).map((l) => html`<li>${l}</li>`)}
            </ul>
          </div>
          <div class="fr-highlight">
            <p class="fr-text--sm fr-text-mention--grey">Sauf mention contraire, les champs ont été saisis à la date du dépôt du dossier.</p>
          </div>
        </div>
        <div class="tab-title">
          <div class="fr-background-alt--grey flex">
            <h2 class="fr-h6 fr-mb-0 flex-grow fr-py-3v fr-px-2w" id="requester_identity">
              Identité du demandeur
            </h2>
          </div>
        </div>
        <dl class="fr-pl-0">
          <div class="fr-px-2w"><dt>Adresse électronique</dt><dd>${dossier.usagerEmail}</dd></div>
        </dl>
        <div class="fr-mt-1w fr-mb-4w fr-px-2w">
          ${identity}
        </div>
        <h2 class="fr-h6 fr-background-alt--grey fr-mb-0 flex">
          <div class="flex-grow fr-py-3v fr-px-2w">Sections du formulaire</div>
        </h2>
        <dl class="fr-pl-0">${champRows(view.content.champs)}</dl>`;
}

function tabBody(view: DossierView): SafeHtml {
  const { content } = view;
  switch (view.tab) {
    case 'demande':
      return demandeBody(view);
    case 'annotations-privees':
      return html`<dl class="fr-pl-0">${champRows(content.annotations)}</dl>`;
    case 'messagerie':
      // `shared/dossiers/_messagerie`, which DS renders outside the dossier body (see dossierPage).
      return messagerieTab(view);
    case 'avis':
      return html`<ul>${content.avis.map(
        (a) => html`<li><p>${a.question}</p><p>${a.answer ?? 'En attente de réponse'}</p></li>`,
      )}</ul>`;
    case 'pieces_jointes':
      return html`<ul>${content.files.map((f) => html`<li>${f.filename}</li>`)}</ul>`;
    case 'personnes-impliquees':
      return html`<ul>${view.dossier.followers.map((f) => html`<li>${f}</li>`)}</ul>`;
  }
}

export function dossierPage(view: DossierView): SafeHtml {
  const { demarche, dossier } = view;
  const owner = ownerName(dossier.demandeur);
  const title = `Dossier n° ${dossier.number} – ${owner}`;
  const tab = DOSSIER_TABS[view.tab];
  const pageTitle =
    view.tab === 'pieces_jointes' ? tab.title : `${tab.title} · Dossier n° ${dossier.number} (${owner})`;
  const body = html`<div class="sub-header">
  <div class="fr-container flex justify-between align-baseline column">
      <nav class="fr-breadcrumb fr-mt-0 fr-mb-1w" role="navigation" aria-label="Vous êtes ici">
        <button class="fr-breadcrumb__button" aria-expanded="false" aria-controls="breadcrumb-1">
          Voir le fil d’Ariane
        </button>
        <div class="fr-collapse" id="breadcrumb-1">
          <ol class="fr-breadcrumb__list">
            <li><a class="fr-breadcrumb__link" href="/procedures">Accueil - Liste des démarches</a></li>
            <li><a class="fr-breadcrumb__link" href="/procedures/${demarche.number}">${truncate(demarche.title, 22)} – Suivi des dossiers</a></li>
            <li><a aria-current="page" class="fr-breadcrumb__link" href="">${title}</a></li>
          </ol>
        </div>
      </nav>
  </div>
  ${headerTop(view, title)}
  ${headerBottom(view)}
</div>
<div class="fr-container">
  <div class="print-header">
    ${demarche.title}
    &gt;
    Dossier n° ${dossier.number} (${stateLabel(dossier.state)})
  </div>
</div>
${
  view.tab === 'messagerie'
    ? tabBody(view)
    : html`<div class="fr-container">
  <div class="fr-grid-row fr-grid-row--center">
    <div class="fr-col-12 fr-col-xl-8">
      <div class="counter-start-header-section dossier-show dossier-show-instructeur" data-controller="lightbox clipboard2" data-clipboard2-copy-text-value="Cliquer pour copier" data-clipboard2-copied-text-value="Copié">
        ${tabBody(view)}
      </div>
    </div>
  </div>
</div>`
}`;
  return layout({ title: pageTitle, session: view.session, body });
}
