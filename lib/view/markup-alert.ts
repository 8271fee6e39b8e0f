import { type ReadonlySignal, useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { type MessageKey, t } from '@/lib/platform/i18n';
import type { PageFeatureId } from '@/lib/platform/messages';
import { pageMarkupItem, type TabMarkup } from '@/lib/platform/page-markup';

/** The popup's « Page DS non reconnue »: which DS page it speaks of, and what it says. */

const FEATURE_NAMES: Record<PageFeatureId, MessageKey> = {
  'report-page': 'markup_feature_report_page',
  'countdown-badges': 'markup_feature_countdown_badges',
  'demarche-banner': 'markup_feature_demarche_banner',
  'procedures-summary': 'markup_feature_procedures_summary',
  'export-buttons': 'markup_feature_export_buttons',
};

/**
 * The DS page the popup speaks of: the active tab's, when it shows one (the user opened the popup
 * over it); otherwise the last DS page seen in any open tab (the popup opened from another page, or
 * as a tab of its own). Null when that page was recognised by every feature.
 */
export function tabMarkupToShow(records: Record<string, TabMarkup>, activeTab: number | undefined): TabMarkup | null {
  const active = activeTab === undefined ? undefined : records[String(activeTab)];
  const shown =
    active ??
    Object.values(records).reduce<TabMarkup | undefined>((a, b) => (a && a.seenAt >= b.seenAt ? a : b), undefined);
  return shown && shown.features.length > 0 ? shown : null;
}

export interface MarkupAlertView {
  title: string;
  fix: string;
  /** « Fonctions désactivées : … », in the user's language. */
  features: string;
  /** The reasons as the console says them, for a bug report. */
  detail: string;
}

export function markupAlertView(markup: TabMarkup): MarkupAlertView {
  return {
    title: t('markup_title'),
    fix: t('markup_fix'),
    features: t('markup_features', markup.features.map(({ id }) => t(FEATURE_NAMES[id])).join(', ')),
    detail: t('markup_detail', markup.features.map(({ id, reason }) => `${id}: ${reason}`).join(' ; ')),
  };
}

/** The record to show, following the background's changes while the popup is open. */
export function useTabMarkup(): ReadonlySignal<TabMarkup | null> {
  const result = useSignal<TabMarkup | null>(null);
  useEffect(() => {
    let live = true;
    let activeTab: number | undefined;
    const show = (records: Record<string, TabMarkup>) => {
      if (live) result.value = tabMarkupToShow(records, activeTab);
    };
    void (async () => {
      // Tab ids need no `tabs` permission (only their URLs would).
      const [active] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
      activeTab = active?.id;
      show(await pageMarkupItem.getValue());
    })();
    const unwatch = pageMarkupItem.watch((records) => show(records ?? {}));
    return () => {
      live = false;
      unwatch();
    };
  }, []);
  return result;
}
