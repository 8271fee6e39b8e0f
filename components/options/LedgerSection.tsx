import { now } from '@/lib/platform/clock';
import { t } from '@/lib/platform/i18n';
import type { Settings } from '@/lib/platform/settings';
import { ledgerCsv, ledgerFileName, readLedger, summarizeLedger } from '@/lib/view/ledger';
import { useLiveQuery } from '@/lib/view/live';

/** The archive ledger: how many saves, and its CSV, saved under its real name by the browser. */
export function LedgerSection({ settings }: { settings: Settings }) {
  const rows = useLiveQuery(readLedger);
  if (!rows.value) return null;
  const summary = summarizeLedger(rows.value);
  const download = () => {
    const csv = ledgerCsv(rows.value ?? [], settings.csvSeparator);
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = ledgerFileName(now());
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  return (
    <section aria-labelledby="ledger-title">
      <h2 id="ledger-title">{t('options_ledger_title')}</h2>
      <p>{t('options_ledger_intro')}</p>
      <p data-testid="ledger-summary">
        {summary.exports === 0
          ? t('options_ledger_empty')
          : t('options_ledger_summary', summary.exports, summary.dossiers, summary.incomplete)}
      </p>
      <button type="button" class="fr-btn fr-btn--secondary" onClick={download} disabled={summary.exports === 0}>
        {t('options_ledger_export')}
      </button>
    </section>
  );
}
