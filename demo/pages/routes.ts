/**
 * The instructeur web routes (config/routes.rb, instructeur scope): sign-in, the pages, the dossier
 * actions (POST/PATCH/DELETE with the CSRF token), the PDF and ZIP downloads and the asynchronous
 * exports. Every page needs a signed-in session; without one DS redirects to `/users/sign_in`.
 */
import type { DemoApp } from '../app';
import type { StoredFile } from '../data/content';
import type { Dossier } from '../data/model';
import { dossierPdf, dossierZipEntries } from '../files/dossier-files';
import { type ExportRecord, isExportFormat } from '../files/exports';
import { zipStream } from '../files/zip';
import {
  type Context,
  contentDisposition,
  type Handler,
  type Router,
  redirect,
  sendChunks,
  sendHtml,
  sendText,
} from '../http/server';
import { isValidToken, type Session } from '../http/session';
import { extendConservation, extendConservationAndRestore } from '../rules/expiry';
import { isInStatut, isStatut, STATUTS, type Statut, sortForList } from '../rules/statuts';
import { frenchDateTime } from '../time';
import { DOSSIER_TABS, type DossierTab, dossierPage } from './dossier';
import { dossierListPage, type LastExport, lastExportAlert } from './dossier-list';
import { applyFilters, filterColumn, ListFilters } from './filters';
import { html } from './html';
import { layout } from './layout';
import { printPage } from './messagerie';
import { proceduresPage } from './procedures';
import { signInPage } from './sign-in';
import { dossierPath, listPath } from './urls';

const S = `(?<statut>${STATUTS.join('|')})`;
const TABS = Object.keys(DOSSIER_TABS)
  .filter((t) => t !== 'demande')
  .join('|');
const P = '/procedures/(?<p>\\d+)';
const D = '/dossiers/(?<d>\\d+)';

/** Devise's `authenticate_user!`: remember where the user was going, then ask to sign in. */
function signedIn(app: DemoApp, handler: (ctx: Context, session: Session) => Promise<void> | void): Handler {
  return (ctx) => {
    const session = app.sessions.ensure(ctx.req, ctx.res);
    if (session.email) return handler(ctx, session);
    if (ctx.req.method === 'GET') session.returnTo = ctx.url.pathname + ctx.url.search;
    session.flash.alert = 'Vous devez vous connecter ou vous inscrire pour continuer.';
    redirect(ctx.res, '/users/sign_in');
  };
}

/** `protect_from_forgery with: :exception`: a state-changing request needs the session's token. */
function withCsrf(app: DemoApp, handler: (ctx: Context, session: Session) => Promise<void> | void): Handler {
  return signedIn(app, (ctx, session) => {
    const header = ctx.req.headers['x-csrf-token'];
    const token = ctx.form?.get('authenticity_token') ?? (typeof header === 'string' ? header : null);
    if (!isValidToken(session, token)) {
      sendText(ctx.res, 422, 'The change you wanted was rejected.');
      return;
    }
    return handler(ctx, session);
  });
}

function notFound(ctx: Context): void {
  sendText(ctx.res, 404, 'La page que vous demandez n’existe pas.');
}

const origin = (ctx: Context) => `http://${ctx.req.headers.host}`;

/** `redirect_back(fallback_location:)`. */
const redirectBack = (ctx: Context, fallback: string) => redirect(ctx.res, ctx.req.headers.referer ?? fallback);

function statutOf(ctx: Context): Statut {
  const statut = ctx.params.statut;
  return isStatut(statut) ? statut : 'a-suivre';
}

export function registerPageRoutes(router: Router, app: DemoApp): void {
  const me = () => app.account.email;
  const filters = new ListFilters();

  /** The dossier of the URL, if it belongs to the URL's démarche and still exists. */
  const dossierOf = (ctx: Context): Dossier | null => {
    const dossier = app.store.dossier(Number(ctx.params.d));
    return dossier && dossier.demarche === Number(ctx.params.p) ? dossier : null;
  };

  /** What the dossier page and its print page both show of a dossier, as the signed-in user sees it now. */
  const dossierView = (session: Session, dossier: Dossier) => ({
    session,
    me: me(),
    now: app.now(),
    demarche: app.demarcheOf(dossier),
    dossier,
    content: app.contentOf(dossier),
    fileUrl: (file: StoredFile) => app.fileUrl(file.key, file.filename),
  });

  const listOf = (demarche: number, statut: Statut): Dossier[] => {
    const d = app.store.demarcheOrThrow(demarche);
    const now = app.now();
    const dossiers = app.store.dossiersOf(demarche).filter((x) => isInStatut(statut, x, d, me(), now, app.store.rules));
    return sortForList(dossiers, me(), now);
  };

  const countsOf = (demarche: number) => {
    const d = app.store.demarcheOrThrow(demarche);
    const now = app.now();
    const counts = Object.fromEntries(STATUTS.map((s) => [s, 0])) as Record<Statut, number>;
    const withNews = new Set<Statut>();
    for (const dossier of app.store.dossiersOf(demarche)) {
      for (const statut of STATUTS) {
        if (!isInStatut(statut, dossier, d, me(), now, app.store.rules)) continue;
        counts[statut] += 1;
        if (dossier.followers.includes(me()) && dossier.news.length > 0) withNews.add(statut);
      }
    }
    return { counts, withNews };
  };

  const lastExportOf = (demarche: number, statut: Statut): LastExport | null => {
    const last = app.exports.last(demarche, statut);
    // DS shows the alert for an export less than an hour old.
    if (!last || app.now().getTime() - last.createdAt.getTime() > 3_600_000) return null;
    return { format: last.format, url: exportUrl(last) };
  };

  const exportUrl = (record: ExportRecord) =>
    app.exports.isReady(record, app.now()) ? app.fileUrl(record.key, record.filename) : null;

  router.add('GET', /^\/$/, 'other', (ctx) => redirect(ctx.res, '/procedures'));

  router.add('GET', /^\/users\/sign_in\/?$/, 'page:sign-in', (ctx) => {
    const session = app.sessions.ensure(ctx.req, ctx.res);
    if (session.email) return redirect(ctx.res, '/procedures');
    sendHtml(ctx.res, 200, signInPage(session));
  });

  router.add('POST', /^\/users\/sign_in\/?$/, 'page:sign-in', (ctx) => {
    const session = app.sessions.ensure(ctx.req, ctx.res);
    if (!isValidToken(session, ctx.form?.get('authenticity_token'))) {
      sendText(ctx.res, 422, 'The change you wanted was rejected.');
      return;
    }
    const email = (ctx.form?.get('user[email]') ?? '').trim().toLowerCase();
    if (email !== app.account.email || ctx.form?.get('user[password]') !== app.account.password) {
      session.flash.alert = 'Adresse électronique ou mot de passe incorrect.';
      sendHtml(ctx.res, 422, signInPage(session, email));
      return;
    }
    const returnTo = session.returnTo ?? '/procedures';
    const signed = app.sessions.signIn(session, email, ctx.res);
    signed.flash.notice =
      'Vous êtes connecté(e) ! Vous pouvez à tout moment alterner entre vos différents profils : usager, instructeur et administrateur.';
    redirect(ctx.res, returnTo, 303);
  });

  router.add('DELETE', /^\/users\/sign_out\/?$/, 'action', (ctx) => {
    const session = app.sessions.find(ctx.req);
    if (session) app.sessions.signOut(session, ctx.res);
    redirect(ctx.res, '/', 303);
  });

  router.add(
    'GET',
    /^\/procedures\/?$/,
    'page:procedures',
    signedIn(app, (ctx, session) => {
      const procedures = app.store.demarches.map((demarche) => {
        const { counts, withNews } = countsOf(demarche.number);
        return { demarche, counts, statutsWithNews: withNews };
      });
      sendHtml(ctx.res, 200, proceduresPage({ session, origin: origin(ctx), procedures }));
    }),
  );

  router.add(
    'GET',
    new RegExp(`^${P}(?:/${S})?/?$`),
    'page:dossier-list',
    signedIn(app, (ctx, session) => {
      const demarche = app.store.demarche(Number(ctx.params.p));
      if (!demarche) return notFound(ctx);
      const statut = statutOf(ctx);
      // The tab counts stay unfiltered, as on DS; the list and its « N dossiers » are filtered.
      const tabFilters = filters.of(demarche.number, statut);
      const dossiers = applyFilters(listOf(demarche.number, statut), tabFilters);
      const { counts, withNews } = countsOf(demarche.number);
      const requested = Number.parseInt(ctx.url.searchParams.get('page') ?? '1', 10);
      sendHtml(
        ctx.res,
        200,
        app.markup.apply(
          String(
            dossierListPage({
              session,
              me: me(),
              now: app.now(),
              origin: origin(ctx),
              demarche,
              statut,
              page: Number.isFinite(requested) && requested > 0 ? requested : 1,
              dossiers,
              filters: tabFilters,
              counts,
              statutsWithNews: withNews,
              lastExport: lastExportOf(demarche.number, statut),
              rules: app.store.rules,
            }),
          ),
          'dossier-list',
        ),
      );
    }),
  );

  /** The démarche of a `procedure_presentation` (one instructeur: one presentation per démarche) and the form's tab. */
  const presentationOf = (ctx: Context) => {
    const demarche = app.store.demarches.find((d) => d.presentationId === Number(ctx.params.pp));
    const statut = ctx.form?.get('statut') ?? undefined;
    return demarche && isStatut(statut) ? { demarche: demarche.number, statut } : null;
  };

  /**
   * DS answers `turbo_stream.refresh` (Turbo then reloads the list); the demo runs no JavaScript, so a
   * plain form post goes back to the list instead.
   */
  const refreshList = (ctx: Context, demarche: number, statut: Statut) => {
    if (ctx.req.headers.accept?.includes('text/vnd.turbo-stream.html')) {
      ctx.res.writeHead(200, { 'content-type': 'text/vnd.turbo-stream.html; charset=utf-8' });
      ctx.res.end('<turbo-stream action="refresh"></turbo-stream>');
      return;
    }
    redirect(ctx.res, listPath(demarche, statut), 303);
  };

  router.add(
    'POST',
    /^\/procedure_presentation\/(?<pp>\d+)\/update_filter$/,
    'action',
    withCsrf(app, (ctx) => {
      const target = presentationOf(ctx);
      let column: string | undefined;
      try {
        column = (JSON.parse(ctx.form?.get('filter[id]') ?? '') as { column_id?: string }).column_id;
      } catch {
        column = undefined;
      }
      if (!target || !column || !filterColumn(column)) return notFound(ctx);
      filters.set(target.demarche, target.statut, column, ctx.form?.getAll('filter[filter][value][]') ?? []);
      refreshList(ctx, target.demarche, target.statut);
    }),
  );

  router.add(
    'POST',
    /^\/procedure_presentation\/(?<pp>\d+)\/clear_all_filters$/,
    'action',
    withCsrf(app, (ctx) => {
      const target = presentationOf(ctx);
      if (!target) return notFound(ctx);
      filters.clear(target.demarche, target.statut);
      refreshList(ctx, target.demarche, target.statut);
    }),
  );

  router.add(
    'GET',
    new RegExp(`^${P}(?:/${S})?${D}\\.pdf$`),
    'download:pdf',
    signedIn(app, async (ctx) => {
      const dossier = dossierOf(ctx);
      if (!dossier) return notFound(ctx);
      const pdf = dossierPdf(dossier, app.demarcheOf(dossier), app.contentOf(dossier), app.store.rules);
      ctx.res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-length': pdf.size,
        'content-disposition': contentDisposition('inline', `dossier-${dossier.number}.pdf`),
      });
      const truncateAt = app.faults.truncates(ctx.kind, ctx.url.pathname + ctx.url.search)
        ? Math.floor(pdf.size / 2)
        : undefined;
      app.metrics.addBytes(await sendChunks(ctx.res, pdf.chunks(), truncateAt));
    }),
  );

  router.add(
    'GET',
    new RegExp(`^${P}(?:/${S})?${D}(?:/(?<tab>${TABS}))?/?$`),
    'page:dossier',
    signedIn(app, (ctx, session) => {
      const dossier = dossierOf(ctx);
      if (!dossier) return notFound(ctx);
      const statut = statutOf(ctx);
      const list = listOf(dossier.demarche, statut).map((d) => d.number);
      const index = list.indexOf(dossier.number);
      const tab = (ctx.params.tab as DossierTab | undefined) ?? 'demande';
      sendHtml(
        ctx.res,
        200,
        app.markup.apply(
          String(
            dossierPage({
              ...dossierView(session, dossier),
              statut,
              tab,
              previous: index > 0 ? list[index - 1]! : null,
              next: index >= 0 && index < list.length - 1 ? list[index + 1]! : null,
              rules: app.store.rules,
            }),
          ),
          'dossier',
        ),
      );
      // DS's after_action once the tab is shown: its « Message » news is gone (`destroy_notification(:message)`).
      if (tab === 'messagerie') dossier.news = dossier.news.filter((kind) => kind !== 'message');
    }),
  );

  // « Imprimer > Tout le dossier » (a non-nested route): a plain render, it marks nothing as read.
  router.add(
    'GET',
    new RegExp(`^${P}${D}/print$`),
    'page:dossier',
    signedIn(app, (ctx, session) => {
      const dossier = dossierOf(ctx);
      if (!dossier) return notFound(ctx);
      sendHtml(ctx.res, 200, printPage({ ...dossierView(session, dossier), statut: 'a-suivre' }));
    }),
  );

  router.add(
    'GET',
    new RegExp(`^${P}/${S}${D}/(?<direction>previous|next)$`),
    'page:dossier',
    signedIn(app, (ctx) => {
      const dossier = dossierOf(ctx);
      if (!dossier) return notFound(ctx);
      const statut = statutOf(ctx);
      const list = listOf(dossier.demarche, statut).map((d) => d.number);
      const target = list[list.indexOf(dossier.number) + (ctx.params.direction === 'next' ? 1 : -1)];
      redirect(
        ctx.res,
        target ? dossierPath(dossier.demarche, statut, target) : dossierPath(dossier.demarche, statut, dossier.number),
      );
    }),
  );

  router.add(
    'GET',
    new RegExp(`^${P}${D}/telecharger_pjs$`),
    'download:zip',
    signedIn(app, async (ctx) => {
      const dossier = dossierOf(ctx);
      if (!dossier) return notFound(ctx);
      // Zipline streams without a length (chunked transfer).
      ctx.res.writeHead(200, {
        'content-type': 'application/zip',
        'content-disposition': contentDisposition('attachment', `dossier-${dossier.number}.zip`),
      });
      const entries = dossierZipEntries(dossier, app.demarcheOf(dossier), app.contentOf(dossier), app.store.rules);
      const truncateAt = app.faults.truncates(ctx.kind, ctx.url.pathname + ctx.url.search) ? 4096 : undefined;
      app.metrics.addBytes(await sendChunks(ctx.res, zipStream(entries), truncateAt));
    }),
  );

  // Dossier actions. DS's buttons post to `/procedures/:p/:statut/dossiers/:d/<action>`.
  const action = (method: string, names: string, run: (ctx: Context, dossier: Dossier) => void) =>
    router.add(
      method,
      new RegExp(`^${P}(?:/${S})?${D}/(?<action>${names})$`),
      'action',
      withCsrf(app, (ctx) => {
        const dossier = dossierOf(ctx);
        if (!dossier) return notFound(ctx);
        run(ctx, dossier);
        redirectBack(ctx, dossierPath(dossier.demarche, statutOf(ctx), dossier.number));
      }),
    );
  const flash = (ctx: Context, kind: 'notice' | 'alert', text: string) => {
    app.sessions.ensure(ctx.req, ctx.res).flash[kind] = text;
  };

  action('POST', 'repousser-expiration|repousser-expiration-and-restore', (ctx, dossier) => {
    const extend = ctx.params.action === 'repousser-expiration' ? extendConservation : extendConservationAndRestore;
    extend(dossier, app.demarcheOf(dossier), app.now(), app.store.rules);
    flash(ctx, 'notice', 'Le dossier sera conservé 1 mois supplémentaire');
  });
  action('PATCH', 'follow|unfollow', (ctx, dossier) => {
    dossier.followers = dossier.followers.filter((f) => f !== me());
    if (ctx.params.action === 'follow') dossier.followers.push(me());
  });
  action('PATCH', 'archive|unarchive', (ctx, dossier) => {
    dossier.archived = ctx.params.action === 'archive';
    dossier.updatedAt = app.now();
  });
  action('PATCH', 'restore', (ctx, dossier) => {
    dossier.hiddenByAdministrationAt = null;
    dossier.suppressionNotifiedAt = null;
    if (!dossier.hiddenByUserAt) dossier.hiddenReason = null;
    dossier.updatedAt = app.now();
    flash(ctx, 'notice', 'Le dossier a bien été restauré');
  });
  action(
    'POST',
    'passer-en-instruction|repasser-en-construction|repasser-en-instruction|terminer|pending_correction',
    (ctx) => flash(ctx, 'alert', 'Cette action n’est pas disponible sur l’instance de démonstration.'),
  );

  router.add(
    'DELETE',
    new RegExp(`^${P}(?:/${S})?${D}$`),
    'action',
    withCsrf(app, (ctx, session) => {
      const dossier = dossierOf(ctx);
      if (!dossier) return notFound(ctx);
      if (dossier.state === 'accepte' || dossier.state === 'refuse' || dossier.state === 'sans_suite') {
        // `hide_and_keep_track!(current_instructeur, :instructeur_request)`.
        dossier.hiddenByAdministrationAt = app.now();
        dossier.hiddenReason = 'instructeur_request';
        dossier.updatedAt = app.now();
        if (dossier.hiddenByUserAt) dossier.suppressionNotifiedAt = app.now();
        session.flash.notice = 'Le dossier a bien été supprimé de votre interface';
      } else {
        session.flash.alert = 'Supression impossible : le dossier n’est pas traité';
      }
      redirectBack(ctx, listPath(dossier.demarche, statutOf(ctx)));
    }),
  );

  // Exports: `download_export` (POST from the dropdown, or GET), the exports list and the polling.
  const requestExport = (ctx: Context) => {
    const demarche = app.store.demarche(Number(ctx.params.p));
    if (!demarche) return notFound(ctx);
    const param = (name: string) => ctx.form?.get(name) ?? ctx.url.searchParams.get(name);
    const format = param('export_format');
    const statut = param('statut') ?? 'tous';
    if (!isExportFormat(format) || !isStatut(statut)) return sendText(ctx.res, 400, 'Format ou statut inconnu');
    const includeArchived = param('include_archived') === '1' || param('include_archived') === 'true';
    const dossiers = listOf(demarche.number, statut);
    const extra = includeArchived && statut === 'tous' ? listOf(demarche.number, 'archives') : [];
    const record = app.exports.request(
      demarche,
      format,
      statut,
      includeArchived,
      [...dossiers, ...extra].map((d) => d.number),
      app.now(),
    );
    const url = exportUrl(record);
    const exportsPath = `/procedures/${demarche.number}/exports`;
    const notice = url
      ? `L’export au format ${format} est prêt. Vous pouvez le télécharger depuis la liste des exports.`
      : 'Nous générons cet export. Vous pouvez retrouver tous vos exports sur la liste des exports.';
    if ((ctx.req.headers.accept ?? '').includes('turbo-stream')) {
      ctx.res.writeHead(200, { 'content-type': 'text/vnd.turbo-stream.html; charset=utf-8' });
      ctx.res.end(
        String(html`<turbo-stream action="update" target="flash_message"><template><div class="alert alert-success fr-p-2w" role="status">${notice}</div></template></turbo-stream>
<turbo-stream action="update" target="last-export-alert"><template>${lastExportAlert({ format, url }, demarche.number, statut)}</template></turbo-stream>`),
      );
      return;
    }
    if (url) return redirect(ctx.res, url);
    app.sessions.ensure(ctx.req, ctx.res).flash.notice = notice;
    redirect(ctx.res, exportsPath);
  };
  router.add('POST', new RegExp(`^${P}/download_export$`), 'download:export', withCsrf(app, requestExport));
  router.add('GET', new RegExp(`^${P}/download_export$`), 'download:export', signedIn(app, requestExport));

  router.add(
    'GET',
    new RegExp(`^${P}/polling_last_export$`),
    'page:exports',
    signedIn(app, (ctx) => {
      const p = Number(ctx.params.p);
      const statut = ctx.url.searchParams.get('statut') ?? 'tous';
      const last = isStatut(statut) ? lastExportOf(p, statut) : null;
      ctx.res.writeHead(200, { 'content-type': 'text/vnd.turbo-stream.html; charset=utf-8' });
      ctx.res.end(
        String(
          html`<turbo-stream action="update" target="last-export-alert"><template>${last && isStatut(statut) ? lastExportAlert(last, p, statut) : ''}</template></turbo-stream>`,
        ),
      );
    }),
  );

  router.add(
    'GET',
    new RegExp(`^${P}/exports$`),
    'page:exports',
    signedIn(app, (ctx, session) => {
      const demarche = app.store.demarche(Number(ctx.params.p));
      if (!demarche) return notFound(ctx);
      const rows = app.exports.ofDemarche(demarche.number).map((record) => {
        const url = exportUrl(record);
        return html`
          <tr>
            <td>${record.filename}</td>
            <td>${frenchDateTime(record.createdAt)}</td>
            <td>${url ? html`<a class="fr-link" href="${url}">Télécharger</a>` : 'En préparation'}</td>
          </tr>`;
      });
      const body = html`<div class="fr-container">
  <h1 class="fr-h3">Liste des exports</h1>
  <p><a class="fr-link" href="${listPath(demarche.number, 'tous')}">${demarche.title}</a></p>
  <div class="fr-table" id="exports-list">
    <table>
      <thead><tr><th>Fichier</th><th>Demandé le</th><th>Téléchargement</th></tr></thead>
      <tbody>${rows}
      </tbody>
    </table>
  </div>
</div>`;
      sendHtml(ctx.res, 200, layout({ title: 'Liste des exports', session, body }));
    }),
  );
}
