import { cleanText, shownText } from '@/lib/ds/page-text';
import { activeFilterTags } from '@/lib/ds/selectors';

/**
 * The filters the instructeur set on a dossier list, as DS words them in its tags under the filter
 * panel (« État du dossier : En construction »), in DS's order; empty when the list is unfiltered.
 * Filters are kept per instructeur and per tab on DS's side, so every page of a tab shows the same.
 */
export function readListFilters(doc: ParentNode): string[] {
  return [...doc.querySelectorAll(activeFilterTags)].map((tag) => shownText(cleanText(tag))).filter(Boolean);
}
