import { db } from '@/lib/core/db';
import { readToken } from '@/lib/core/secrets';
import { problemOf } from '@/lib/core/sync/errors';
import { DsApiClient } from '@/lib/ds/api';
import { readTabChamps } from '@/lib/ds/list-champs';
import type { Statut } from '@/lib/ds/routes';
import { type ChampColumns, champColumns } from '@/lib/export/champ-columns';
import { listCsvName } from '@/lib/export/list-csv';
import type { ExportFileSpec } from '@/lib/export/run-list-export';
import { saveMadeFile } from '@/lib/platform/downloads';
import { formatDate, type MessageKey, t } from '@/lib/platform/i18n';
import type { PageTexts } from '@/lib/platform/messages';
import type { FileExporter } from '@/lib/platform/offscreen';
import { stateBadge } from '@/lib/view/badges';
import { archiveMenuTexts } from '@/lib/view/bulk-menu';
import { readPageFates } from '@/lib/view/page-fates';
import { describeProblem } from '@/lib/view/status';

/**
 * A whole tab of a démarche's list saved as a spreadsheet or a deletion schedule: every page read
 * with the user's session, each dossier's fate from the same function as the badges, the file worded
 * in the user's language, then saved through the browser's downloads under its real name. With a
 * token, the spreadsheet also holds the dossiers' champs, read here through DS's API (the token never
 * leaves the background); when the API fails, the spreadsheet is written without them, and says so.
 */

export interface ListExportRequest {
  origin: string;
  demarche: number;
  statut: Statut;
  format: 'csv' | 'pdf';
}

/** A list tab's name, in the user's language (« traités », « corbeille »). */
export const TAB_NAMES: Record<Statut, MessageKey> = {
  'a-suivre': 'list_tab_a_suivre',
  suivis: 'list_tab_suivis',
  traites: 'list_tab_traites',
  tous: 'list_tab_tous',
  expirant: 'list_tab_expirant',
  archives: 'list_tab_archives',
  supprimes: 'list_tab_supprimes',
};

const SOURCES = { api: 'page_source_api', page: 'page_source_page', estimate: 'page_source_estimate' } as const;

/** `echeancier_procedure-<n>_<YYYY-MM-DD>.pdf`, like DS's own export names. */
const scheduleName = (demarche: number, at: Date) =>
  `echeancier_procedure-${demarche}_${listCsvName(demarche, at).slice(-20, -10)}.pdf`;

/** The tab's champs as columns, or why the API could not give them (in the user's words). */
async function readChampColumns(
  request: { origin: string; demarche: number; statut: Statut; dossiers: number[] },
  token: string,
  now: Date,
): Promise<{ columns: ChampColumns } | { problem: string }> {
  try {
    const client = new DsApiClient({ origin: request.origin, token });
    return { columns: champColumns(await readTabChamps(client, request)) };
  } catch (error) {
    const problem = describeProblem(problemOf(error, now));
    return { problem: `${problem.message} ${problem.fix}` };
  }
}

export async function saveList(
  request: ListExportRequest,
  context: { exporter: FileExporter; csvSeparator: string; leadTimeDays: number; now: Date },
): Promise<{ text: string; fileName: string }> {
  const { origin, demarche, statut, format } = request;
  const tab = await context.exporter.readTab({ origin, demarche, statut });
  const numbers = [...new Set(tab.pages.flatMap((page) => page.rows.map((row) => row.number)))];
  const fates = await readPageFates(
    { origin, dossiers: numbers, demarches: [demarche] },
    context.leadTimeDays,
    context.now,
  );
  const views = new Map(fates.dossiers.map((view) => [view.number, view]));
  let spec: ExportFileSpec;
  let champsProblem: string | null = null;
  if (format === 'csv') {
    const token = await readToken(origin);
    const champs = token
      ? await readChampColumns({ origin, demarche, statut, dossiers: numbers }, token, context.now)
      : null;
    if (champs && 'problem' in champs) champsProblem = champs.problem;
    spec = {
      format,
      name: listCsvName(demarche, context.now),
      csv: {
        pages: tab.pages,
        fates: [...views],
        separator: context.csvSeparator,
        labels: {
          deletionDate: t('list_column_deletion'),
          daysLeft: t('list_column_days_left'),
          source: t('list_column_source'),
          savedAt: t('list_column_saved_at'),
        },
        sourceNames: { api: t(SOURCES.api), page: t(SOURCES.page), estimate: t(SOURCES.estimate) },
        champs: champs && 'columns' in champs ? champs.columns : undefined,
      },
    };
  } else {
    const rows = await db.dossiers.bulkGet(numbers.map((n) => [origin, n] as [string, number]));
    const known = new Map(rows.filter((row) => row !== undefined).map((row) => [row.number, row]));
    const banner = fates.demarches[0];
    spec = {
      format,
      name: scheduleName(demarche, context.now),
      pdf: {
        title: tab.title || t('common_demarche_number', demarche),
        demarche,
        tab: t(TAB_NAMES[statut]),
        filters: t('list_pdf_filters', tab.filters.join(' · ') || t('list_pdf_filters_none')),
        generatedAt: context.now.toISOString(),
        rows: numbers.map((number) => {
          const dossier = known.get(number);
          const view = views.get(number);
          return {
            number,
            demandeur: dossier?.label ?? '',
            state: dossier?.state ? stateBadge(dossier.state).text : '',
            deletionDate: view && view.expiresAt !== 'none' ? formatDate(new Date(`${view.expiresAt}T12:00:00Z`)) : '',
            daysLeft: view?.daysLeft === null || view?.daysLeft === undefined ? '' : String(view.daysLeft),
            source: view?.source ? t(SOURCES[view.source]) : '',
            archive: view?.savedAt ? t('common_saved_on', formatDate(new Date(view.savedAt))) : t('common_not_saved'),
          };
        }),
        weeks: banner?.weeks ?? [],
        texts: {
          heading: t('list_pdf_heading'),
          generated: t('list_pdf_generated', formatDate(context.now)),
          columns: [
            t('list_pdf_col_number'),
            t('list_pdf_col_demandeur'),
            t('list_pdf_col_state'),
            t('list_column_deletion'),
            t('list_column_days_left'),
            t('list_column_source'),
            t('list_pdf_col_archive'),
          ],
          chart: t('page_banner_chart'),
          legendUnsaved: t('popup_legend_unsaved'),
          legendSaved: t('popup_legend_saved'),
          page: t('list_pdf_page', '{n}', '{of}'),
          empty: t('list_pdf_empty'),
        },
      },
    };
  }
  const made = await context.exporter.makeFile(spec);
  const fileName = await saveMadeFile(made, spec.name);
  const text = champsProblem
    ? t('export_list_saved_without_champs', fileName, numbers.length, champsProblem)
    : t('export_list_saved', fileName, numbers.length);
  return { text, fileName };
}

/** The export buttons' words on DS's pages, in the user's language. */
export function exportButtonTexts(): PageTexts {
  return {
    ...archiveMenuTexts(),
    zip: t('page_export_zip'),
    'dossier-pdf': t('page_export_dossier_pdf'),
    csv: t('page_export_csv'),
    pdf: t('page_export_pdf'),
    busy: t('page_export_busy'),
    failed: t('page_export_failed'),
    row: t('page_export_row', '{n}'),
  };
}
