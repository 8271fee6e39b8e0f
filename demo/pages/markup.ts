/**
 * DS changing its markup, on demand: the list and dossier pages served as a future DS might draw
 * them, to test that the extension turns off what no longer fits (and says so) instead of
 * misreading. Applied to the rendered HTML, so every other page and the API stay as they are.
 */

export const MARKUP_VARIANTS = ['renamed-classes', 'no-table', 'unknown-columns', 'new-tab'] as const;
export type MarkupVariant = (typeof MARKUP_VARIANTS)[number];

export const isMarkupVariant = (value: unknown): value is MarkupVariant =>
  MARKUP_VARIANTS.includes(value as MarkupVariant);

/** Which page a variant is applied to. */
export type MarkupPage = 'dossier-list' | 'dossier';

/** A class token renamed everywhere it appears in a `class` attribute. */
function renameClasses(page: string, renames: Record<string, string>): string {
  return page.replace(/class="([^"]*)"/g, (_, classes: string) => {
    const renamed = classes
      .split(/\s+/)
      .map((token) => {
        for (const [from, to] of Object.entries(renames))
          if (token.startsWith(from)) return to + token.slice(from.length);
        return token;
      })
      .join(' ');
    return `class="${renamed}"`;
  });
}

const VARIANTS: Record<MarkupVariant, (page: string, kind: MarkupPage) => string> = {
  // A DSFR upgrade: the tabs (`fr-tabs`, `fr-tabs__tab`…), the list's number cell and the dossier header's badge group.
  'renamed-classes': (page) =>
    renameClasses(page, {
      'fr-tabs': 'fr-tabs-v2',
      'fr-cell--numeric': 'fr-cell--number',
      'fr-badge-group': 'fr-badges',
    }),
  // The list drawn by another component than DS's table.
  'no-table': (page, kind) =>
    kind === 'dossier-list' ? page.replace('id="table-dossiers"', 'id="dossiers-grid"') : page,
  // The columns DS always shows, under new names.
  'unknown-columns': (page, kind) =>
    kind === 'dossier-list'
      ? page.replace(/<thead>[\s\S]*?<\/thead>/, (head) =>
          head.replaceAll('>N° dossier', '>Numéro').replaceAll('>État du dossier', '>Statut'),
        )
      : page,
  // A statut tab DS did not have: « à relancer ».
  'new-tab': (page, kind) => {
    if (kind !== 'dossier-list') return page;
    return page.replace(
      /(<nav class="fr-tabs[^"]*"[^>]*aria-label="Dossiers de la démarche numero (\d+)">[\s\S]*?)(<\/ul>)/,
      (_, before: string, demarche: string, end: string) =>
        `${before}<li class="relative"><a class="fr-tabs__tab" href="/procedures/${demarche}/a-relancer">à relancer</a></li>${end}`,
    );
  },
};

/** The instance's current markup: DS's own (null), or one variant. */
export class Markup {
  variant: MarkupVariant | null = null;

  set(variant: MarkupVariant | null): void {
    this.variant = variant;
  }

  apply(page: string, kind: MarkupPage): string {
    return this.variant ? VARIANTS[this.variant](page, kind) : page;
  }
}
