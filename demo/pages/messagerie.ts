/**
 * A dossier's messagerie as DS shows it to an instructeur: the « Messagerie » tab
 * (`shared/dossiers/_messagerie`: messages grouped by day) and the print page
 * (`instructeurs/dossiers/print`, DS's bare `print` layout), both made of
 * `Dossiers::MessageComponent` with its attachments (`Attachment::ShowComponent`, `Dsfr::DownloadComponent`).
 */
import type { DossierContent, MessageRecord, StoredFile } from '../data/content';
import { type Demarche, type Dossier, ownerName } from '../data/model';
import type { Session } from '../http/session';
import type { Statut } from '../rules/statuts';
import { FRENCH_MONTHS, parisDayNumber, parisWallTime } from '../time';
import { tokenInput } from './forms';
import { html, type SafeHtml } from './html';
import { APPLICATION_NAME } from './layout';
import { dossierPath } from './urls';

export interface MessagerieView {
  session: Session;
  me: string;
  now: Date;
  demarche: Demarche;
  dossier: Dossier;
  content: DossierContent;
  /** The tab the dossier was opened from (the print page has none: DS's route default, `a-suivre`). */
  statut: Statut;
  /** A signed download URL of a file (DS links `rails_blob_url`, which redirects there). */
  fileUrl: (file: StoredFile) => string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `time.formats.short_datetime`: `Le 14/01/2026 09:31`, Paris time. */
function shortDateTime(date: Date): string {
  const w = parisWallTime(date);
  return `Le ${pad(w.day)}/${pad(w.month)}/${w.year} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** `ApplicationHelper#human_date`: « Aujourd’hui », « Hier », « Il y a N jours », else `%e %B %Y`. */
function humanDate(day: Date, now: Date): string {
  const ago = parisDayNumber(now) - parisDayNumber(day);
  if (ago === 0) return 'Aujourd’hui';
  if (ago === 1) return 'Hier';
  if (ago >= 2 && ago <= 6) return `Il y a ${ago} jours`;
  const w = parisWallTime(day);
  return `${w.day} ${FRENCH_MONTHS[w.month - 1]} ${w.year}`;
}

/** `number_to_human_size` in French: three significant digits, `ko`, `Mo`. */
function humanSize(bytes: number): string {
  const units = ['octets', 'ko', 'Mo', 'Go'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 ? String(value) : String(Number(value.toPrecision(3))).replace('.', ',');
  return `${shown} ${units[unit]}`;
}

const isFromUsager = (m: MessageRecord, dossier: Dossier) => m.email === dossier.usagerEmail;

/** `commentaire_issuer`: the demandeur for the usager's messages, an instructeur's e-mail's local part. */
function issuer(m: MessageRecord, view: MessagerieView): string {
  if (isFromUsager(m, view.dossier)) {
    const { demandeur } = view.dossier;
    return demandeur.kind === 'physique' ? `${demandeur.prenom} ${demandeur.nom}` : ownerName(demandeur);
  }
  const local = m.email.split('@')[0] ?? m.email;
  return m.email === view.me ? `[Vous] ${local}` : local;
}

/** `Attachment::ShowComponent` → `Dsfr::DownloadComponent` (the antivirus passed every demo file). */
function attachment(file: StoredFile, view: MessagerieView): SafeHtml {
  const dot = file.filename.lastIndexOf('.');
  const extension = dot > 0 ? file.filename.slice(dot + 1).toUpperCase() : '';
  return html`
              <div id="show_active_storage_attachment_${file.id}">
                <div class="fr-download">
                  <a class="fr-download__link" download="${file.filename}" href="${view.fileUrl(file)}">
                    <span class="sr-only">Télécharger le fichier </span>
                    ${file.filename}
                    <span class="fr-download__detail">
                      ${extension} – ${humanSize(file.source.size)}
                    </span>
                  </a>
                </div>
              </div>`;
}

/** The body as DS's `SimpleFormatComponent` renders plain text: a paragraph per block, `<br>` per line. */
function simpleFormat(body: string): SafeHtml[] {
  return body
    .split(/\n{2,}/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      return html`<p>${lines.map((line, i) => (i === 0 ? html`${line}` : html`<br>\n${line}`))}</p>`;
    });
}

/** `Dossiers::MessageComponent`, for the instructeur `view.me`. */
function messageComponent(m: MessageRecord, view: MessagerieView): { fromMe: boolean; markup: SafeHtml } {
  const fromUsager = isFromUsager(m, view.dossier);
  const fromMe = m.email === view.me;
  const background = fromUsager ? 'fr-background-alt--brown-cafe-creme' : 'fr-background-alt--blue-cumulus';
  const icon = fromUsager ? 'fr-icon-folder-user-fill' : 'fr-icon-user-fill';
  const avatar = html`
          <div class="icon-avatar ${background}">
            <span class="${icon} icon-sm-for-xs" aria-hidden="true"></span>
          </div>`;
  const remove = fromMe
    ? html`
            <form class="button_to" method="post" action="${dossierPath(view.demarche.number, view.statut, view.dossier.number)}/commentaires/${m.id}" data-turbo="true" data-turbo-confirm="Êtes-vous sûr de vouloir supprimer ce message ?"><input type="hidden" name="_method" value="delete" autocomplete="off"><button class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-delete-line fr-btn--icon-left fr-text-default--warning fr-mb-1w" type="submit">Supprimer le message</button>${tokenInput(view.session)}</form>`
    : '';
  const files = m.attachments.length
    ? html`
            <div class="fr-mt-2w">${m.attachments.map((file) => attachment(file, view))}
            </div>`
    : '';
  const read = fromMe
    ? html`
              <div class="flex align-center">
                <span class="fr-icon-check-line fr-icon--sm fr-mr-1w" aria-hidden="true"></span>
                <span class="fr-text--xs fr-text-mention--grey font-weight-normal fr-mb-0">Lu</span>
              </div>`
    : '';
  const markup = html`${fromMe ? '' : avatar}
          <div class="width-100 fr-p-2w ${background}">
            <h2 class="fr-h6 fr-mb-1w">
              <span class="mail">
                ${issuer(m, view)}
              </span>
            </h2>
            <div class="rich-text">
              ${simpleFormat(m.body)}
            </div>${remove}${files}
            <div class="fr-mt-1v flex align-center flex-gap-1 justify-between">
              <span class="date fr-mb-0 fr-text--xs fr-text-mention--grey font-weight-normal">
                ${shortDateTime(m.createdAt)}
              </span>${read}
            </div>
          </div>${fromMe ? avatar : ''}`;
  return { fromMe, markup };
}

const chronological = (messages: readonly MessageRecord[]) =>
  [...messages].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());

/** `shared/dossiers/_messagerie`: the messages, a day header before each day's, then the new message form. */
export function messagerieTab(view: MessagerieView): SafeHtml {
  const days = new Map<number, MessageRecord[]>();
  for (const m of chronological(view.content.messages)) {
    const day = parisDayNumber(m.createdAt);
    days.set(day, [...(days.get(day) ?? []), m]);
  }
  const items = [...days.values()].map(
    (messages) => html`
      <li>
        <div class="date-header">
          ${humanDate(messages[0]!.createdAt, view.now)}
        </div>
      </li>${messages.map((m) => {
        const { fromMe, markup } = messageComponent(m, view);
        return html`
        <li class="message${fromMe ? ' from-me' : ''}" id="commentaire_${m.id}">${markup}
        </li>`;
      })}`,
  );
  const action = `${dossierPath(view.demarche.number, view.statut, view.dossier.number)}/commentaire`;
  return html`<div class="messagerie fr-container">
  <ol class="messages-list" data-controller="scroll-to">${items}
  </ol>
</div>
<div class="padded-fixed-footer">
  <div class="fixed-footer">
    <div class="fr-container">
      <div class="fr-grid-row">
        <div class="fr-col-12">
          <div data-controller="hide-target">
            <button class="fr-btn fr-icon-add-line fr-btn--icon-left fr-mb-2w width-100-for-xs" type="button" data-hide-target-target="source" data-hide-target-hide-source="true">Nouveau message</button>
            <div class="fr-hidden" data-hide-target-target="toHide">
              <form class="new_commentaire" id="new_commentaire" enctype="multipart/form-data" action="${action}" accept-charset="UTF-8" method="post">${tokenInput(view.session)}
                <label class="fr-label" for="commentaire_body">Votre message (obligatoire)</label>
                <textarea rows="5" placeholder="Écrivez votre message ici" title="Écrivez votre message ici" required="required" class="fr-input message-textarea" data-hide-target-target="focus" name="commentaire[body]" id="commentaire_body"></textarea>
              </form>
            </div>
          </div>
        </div>
      </div>
    </div>
  </div>
</div>`;
}

/** `instructeurs/dossiers/print` in the `print` layout: the whole dossier, its messagerie last. */
export function printPage(view: MessagerieView): SafeHtml {
  const { dossier, demarche, content } = view;
  const messages = chronological(content.messages).map(
    (m) => html`
      <li>${messageComponent(m, view).markup}
      </li>`,
  );
  return html`<html>
  <head>
    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
    <meta http-equiv="X-UA-Compatible" content="IE=edge">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="application-name" content="${APPLICATION_NAME}">
    <meta name="apple-mobile-web-app-title" content="${APPLICATION_NAME}">
    <title>
      ${APPLICATION_NAME}
    </title>
  </head>
  <body>
<h1>Dossier n° ${dossier.number}</h1>
<h1 class="subtitle">Démarche : ${demarche.title}</h1>
<h2>Identité du demandeur</h2>
<dl class="fr-pl-0">
  <div class="fr-px-2w"><dt>Adresse électronique</dt><dd>${dossier.usagerEmail}</dd></div>
</dl>
<h2>Formulaire</h2>
<dl class="fr-pl-0">${content.champs.map((c) => html`<div class="fr-px-2w"><dt>${c.descriptor.label}</dt></div>`)}</dl>
<h2>Annotations privées</h2>
${content.annotations.length ? '' : 'Aucune annotation privée'}
<h2>Avis</h2>
${content.avis.length ? html`<table>${content.avis.map((a) => html`<tr><th>Avis de ${a.expert}</th><td>${a.answer ?? 'En attente de réponse'}</td></tr>`)}</table>` : 'Aucun avis'}
<h2>Messagerie</h2>
<div class="messagerie">
  <ol class="messages-list">${messages}
  </ol>
</div>
<script type="text/javascript">
  window.print();
</script>
  </body>
</html>
`;
}
