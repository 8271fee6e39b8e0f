import type { PageDemarche, PageReport } from '@/lib/ds/model';
import { cleanText, demarcheTitle, parseCount, parseId, shownText } from '@/lib/ds/page-text';
import { baseReport } from '@/lib/ds/read-common';
import { procedureCardLink, procedureCards, procedureCounters, procedureExpirantLink } from '@/lib/ds/selectors';

type CountKey = keyof NonNullable<PageDemarche['counts']>;

/** Counter span id suffixes (`ProcedureSummaryComponent`) → tab names. */
const COUNTERS: Readonly<Record<string, CountKey>> = {
  'a-suivre': 'a-suivre',
  followed: 'suivis',
  termines: 'traites',
  dossier: 'tous',
  expirant: 'expirant',
};
const COUNTER_ID = /^procedure-(\d+)-([a-z-]+)-count$/;

function readCard(card: Element): PageDemarche | undefined {
  const link = card.querySelector(procedureCardLink);
  const number = parseId(/^\/procedures\/(\d+)$/.exec(link?.getAttribute('href') ?? '')?.[1]);
  if (!link || !number) return undefined;
  const counters = [...card.querySelectorAll(procedureCounters)];
  const counts: NonNullable<PageDemarche['counts']> = {};
  for (const counter of counters) {
    const [, id, suffix] = COUNTER_ID.exec(counter.id) ?? [];
    const key = suffix && Object.hasOwn(COUNTERS, suffix) ? COUNTERS[suffix] : undefined;
    // Until DS's counters turbo-stream arrives, each counter reads "⋯": no number, no count.
    const count = parseCount(cleanText(counter));
    if (key && Number(id) === number && count !== undefined) counts[key] = count;
  }
  return {
    number,
    title: shownText(demarcheTitle(cleanText(link), number)),
    // Without its counters the card is not the one DS renders; the missing link would mean nothing.
    ...(counters.length > 0 && { expiresWhenTermine: card.querySelector(procedureExpirantLink) !== null }),
    ...(Object.keys(counts).length > 0 && { counts }),
  };
}

/** The instructeur's démarches on `/procedures`, with their counters once DS has filled them in. */
export function readProcedures(doc: Document, url: string, now: Date): PageReport {
  const demarches = [...doc.querySelectorAll(procedureCards)].flatMap((card) => readCard(card) ?? []);
  return { ...baseReport(doc, url, now), demarches };
}
