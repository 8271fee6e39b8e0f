/**
 * The instructeur's filters on a dossier list (`procedure_presentation.<statut>_filters`, one
 * instructeur here): the three default filterable columns of DS's filter panel, their values per
 * démarche and tab as `POST /procedure_presentation/:pp/update_filter` sets them, the list they
 * leave, and their markup: the panel's forms (`EditableFiltersComponent`) and one dismissable tag per
 * value under it (`ClearFilterButtonsComponent`, « Tout supprimer » past two).
 */
import type { Dossier, DossierState } from '../data/model';
import type { Session } from '../http/session';
import type { Statut } from '../rules/statuts';
import { tokenInput } from './forms';
import { html, type SafeHtml } from './html';

export interface FilterColumn {
  /** `column_id`, e.g. `self/state`. */
  id: string;
  label: string;
  /** The form's input, simplified (as the fixtures do). */
  input: SafeHtml;
  /** `label_for_value`: what the tag says of a value. */
  labelFor: (value: string) => string;
  matches: (dossier: Dossier, value: string) => boolean;
}

/** `filterable_state` (config/locales/views/instructeurs/fr.yml). */
const STATE_FILTER_LABELS: Record<DossierState, string> = {
  en_construction: 'En construction',
  en_instruction: 'En instruction',
  accepte: 'Accepté',
  refuse: 'Refusé',
  sans_suite: 'Classé sans suite',
};

/** `filterable_notification`, for the notifications the demo models. */
const NOTIFICATION_FILTERS: Record<string, { label: string; on: (dossier: Dossier) => boolean }> = {
  dossier_expirant: { label: 'Expire bientôt', on: (d) => d.expirantNotifiedAt !== null },
  dossier_suppression: { label: 'Bientôt supprimé', on: (d) => d.suppressionNotifiedAt !== null },
};

/** `ProcedurePresentation#filters_for`: DS's default filters, in its order. */
export const FILTER_COLUMNS: readonly FilterColumn[] = [
  {
    id: 'self/state',
    label: 'État du dossier',
    input: html``,
    labelFor: (value) => STATE_FILTER_LABELS[value as DossierState] ?? value,
    matches: (dossier, value) => dossier.state === value,
  },
  {
    id: 'self/id',
    label: 'N° dossier',
    input: html`<input class="fr-input" type="number" name="filter[filter][value][]" id="filter_self_id">`,
    labelFor: (value) => value,
    matches: (dossier, value) => String(dossier.number) === value.trim(),
  },
  {
    id: 'dossier_notifications/notification_type',
    label: 'Notifications sur le dossier',
    input: html``,
    labelFor: (value) => NOTIFICATION_FILTERS[value]?.label ?? value,
    matches: (dossier, value) => NOTIFICATION_FILTERS[value]?.on(dossier) ?? false,
  },
];

export const filterColumn = (id: string): FilterColumn | undefined => FILTER_COLUMNS.find((c) => c.id === id);

/** Each column's values (a column without any does not filter). */
export type TabFilters = ReadonlyMap<string, readonly string[]>;

/** The filters of every démarche and tab. */
export class ListFilters {
  readonly #tabs = new Map<string, Map<string, string[]>>();

  of(demarche: number, statut: Statut): TabFilters {
    return this.#tabs.get(`${demarche}/${statut}`) ?? new Map();
  }

  /** `update_filter_for_statut!`: the column's values replaced (blank ones dropped, each once). */
  set(demarche: number, statut: Statut, column: string, values: readonly string[]): void {
    const key = `${demarche}/${statut}`;
    const tab = this.#tabs.get(key) ?? new Map<string, string[]>();
    tab.set(column, [...new Set(values.filter((v) => v.trim() !== ''))]);
    this.#tabs.set(key, tab);
  }

  /** `clear_filters_values_for_statut!`. */
  clear(demarche: number, statut: Statut): void {
    this.#tabs.delete(`${demarche}/${statut}`);
  }
}

/** A dossier stays when, for every filtered column, it matches one of its values (DS: AND of ORs). */
export function applyFilters(dossiers: readonly Dossier[], filters: TabFilters): Dossier[] {
  const active = FILTER_COLUMNS.flatMap((column) => {
    const values = filters.get(column.id) ?? [];
    return values.length ? [{ column, values }] : [];
  });
  return dossiers.filter((d) => active.every(({ column, values }) => values.some((v) => column.matches(d, v))));
}

/** Rails' `parameterize`: what DS makes DOM ids of. */
const parameterize = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9\-_]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');

/** `FilteredColumn#id`: `column.h_id.merge(filter:).sort.to_json`. */
const filterKey = (demarche: number, column: string, values: readonly string[]) =>
  JSON.stringify([
    ['column_id', column],
    ['filter', { operator: 'match', value: values }],
    ['procedure_id', demarche],
  ]);
const columnKey = (demarche: number, column: string) => JSON.stringify({ procedure_id: demarche, column_id: column });

export interface FiltersView {
  session: Session;
  demarche: number;
  presentation: number;
  statut: Statut;
  filters: TabFilters;
}

const hidden = (name: string, value: string) =>
  html`<input type="hidden" name="${name}" value="${value}" autocomplete="off">`;

/** `ClearFilterButtonsComponent`: a tag per value, whose form sets the column without it. */
function clearButtons(view: FiltersView): SafeHtml[] {
  const { session, demarche, presentation: pp, statut } = view;
  const tags = FILTER_COLUMNS.flatMap((column) => {
    const values = view.filters.get(column.id) ?? [];
    return values.map((value) => {
      const key = filterKey(demarche, column.id, values);
      const id = parameterize(`clear-filter-button-${key}-${value}`);
      const rest = values.filter((v) => v !== value).map((v) => hidden('filter[filter][value][]', v));
      return html`
        <form data-turbo="true" class="inline" method="post" action="/procedure_presentation/${pp}/update_filter"><button id="${id}" class="fr-tag fr-tag--dismiss fr-tag--sm" type="submit">${column.label} : ${column.labelFor(value)}</button>${tokenInput(session)}${hidden('filter_key', key)}${hidden('filter[id]', columnKey(demarche, column.id))}${hidden('filter[filter][operator]', 'match')}${rest}${hidden('statut', statut)}</form>`;
    });
  });
  if (tags.length <= 2) return tags;
  return [
    ...tags,
    html`
        <form data-turbo="true" class="inline" method="post" action="/procedure_presentation/${pp}/clear_all_filters"><button class="fr-btn fr-btn--tertiary-no-outline fr-btn--sm" type="submit">Tout supprimer</button>${tokenInput(session)}${hidden('statut', statut)}</form>`,
  ];
}

/** `EditableFiltersComponent`, expanded. */
export function filtersSection(view: FiltersView): SafeHtml {
  const { session, demarche: p, presentation: pp, statut } = view;
  const forms = FILTER_COLUMNS.map((column) => {
    const slug = column.id.replace('/', '-');
    return html`
          <div class="flex column flex-no-shrink">
            <form class="flex flex-1" data-turbo="true" data-controller="autosubmit" action="/procedure_presentation/${pp}/update_filter" accept-charset="UTF-8" method="post">${tokenInput(session)}
              <input value="${filterKey(p, column.id, view.filters.get(column.id) ?? [])}" autocomplete="off" type="hidden" name="filter_key" id="filter_key">
              <input value="${columnKey(p, column.id)}" autocomplete="off" type="hidden" name="filter[id]" id="filter_id">
              <input value="${statut}" autocomplete="off" type="hidden" name="statut" id="statut">
              <div class="flex column" id="column_id-${slug}-filter-operator-match-value-procedure_id-${p}_column_filter_value_component">
                <input value="match" autocomplete="off" type="hidden" name="filter[filter][operator]" id="filter_filter_operator">
                <label class="fr-label">${column.label}</label>${column.input}
              </div>
            </form>
          </div>`;
  });
  return html`<section id="editable-filters-component">
      <div class="fr-background-alt--grey flex flex-gap-2 column fr-my-2w fr-p-3w">
        <div class="flex flex-gap-2">
          <div class="flex flex-1">
            <p class="fr-h6 fr-mb-0">Rechercher / filtrer les dossiers</p>
          </div>
          <div class="flex">
            <form data-turbo="true" class="button_to" method="post" action="/procedure_presentation/${pp}/toggle_filters_expanded?filters_expanded=false&amp;statut=${statut}"><button class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline" aria-expanded="true" type="submit"><span class="fr-icon-arrow-up-s-line" data-expand-target="icon"></span><span class="fr-sr-only">Afficher / masquer les filtres</span></button>${tokenInput(session)}</form>
          </div>
        </div>
        <div class="flex flex-gap-3 wrap ">${forms}
          <div class="ml-auto fr-pl-2w fr-pt-2w flex align-end">
            <a class="fr-btn--icon-left fr-icon-settings-5-line fr-btn fr-btn--sm fr-btn--tertiary" href="/procedure_presentation/${pp}/customize_filters?statut=${statut}">Personnaliser</a>
          </div>
        </div>
      </div>
      <div class="flex flex-gap-1 wrap align-center">${clearButtons(view)}
      </div>
    </section>`;
}
