import { markupAlertView, useTabMarkup } from '@/lib/view/markup-alert';

/** « Page DS non reconnue »: the features Archiviste turned off on the DS page, and what to do. */
export function MarkupAlert() {
  const markup = useTabMarkup().value;
  if (!markup) return null;
  const view = markupAlertView(markup);
  return (
    <div class="fr-alert fr-alert--warning" data-markup-alert={markup.route}>
      <p class="fr-alert__title">{view.title}</p>
      <p>{view.fix}</p>
      <p>{view.features}</p>
      <p class="popup__markup-detail">{view.detail}</p>
    </div>
  );
}
