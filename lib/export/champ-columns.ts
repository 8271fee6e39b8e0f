import {
  type DossierChamps,
  isLayoutChamp,
  type ListChamp,
  type ListChampDescriptor,
  type TabChamps,
} from '@/lib/ds/list-champs';

/**
 * The champs of a tab's dossiers as spreadsheet columns: one per champ, in the démarche's form order;
 * a repetition flattened block by block (« Manifestations 1 · Intitulé », « Manifestations 1 · Date »,
 * « Manifestations 2 · Intitulé »…, as many blocks as the fullest dossier has); champs of an older
 * revision, absent from the form, after the others. Values are DS's `stringValue`, a pièce
 * justificative's its files' names. Serialisable: it crosses the extension's messages.
 */
export interface ChampColumns {
  headers: string[];
  /** Per dossier number, one cell per header. */
  cells: [number, string[]][];
}

const blockKey = (repetition: string, block: number, champ: string) => `${repetition}|${block}|${champ}`;
const blockHeader = (repetition: string, block: number, champ: string) => `${repetition} ${block} · ${champ}`;

function champText(champ: ListChamp): string {
  return champ.files ? champ.files.map((file) => file.filename).join(', ') : (champ.stringValue ?? '');
}

/** The most blocks any dossier filled, per repetition descriptor. */
function blocksPerRepetition(dossiers: readonly DossierChamps[]): Map<string, number> {
  const blocks = new Map<string, number>();
  for (const dossier of dossiers) {
    for (const champ of dossier.champs) {
      if (!champ.rows) continue;
      blocks.set(champ.champDescriptorId, Math.max(blocks.get(champ.champDescriptorId) ?? 0, champ.rows.length));
    }
  }
  return blocks;
}

export function champColumns({ form, dossiers }: Pick<TabChamps, 'form' | 'dossiers'>): ChampColumns {
  // Key → header, in column order (a Map keeps insertion order).
  const columns = new Map<string, string>();
  const add = (key: string, header: string) => {
    if (!columns.has(key)) columns.set(key, header);
  };
  const blocks = blocksPerRepetition(dossiers);
  const plan = (descriptor: ListChampDescriptor) => {
    if (isLayoutChamp(descriptor.__typename)) return;
    if (!descriptor.champDescriptors) return add(descriptor.id, descriptor.label);
    for (let block = 1; block <= (blocks.get(descriptor.id) ?? 0); block += 1) {
      for (const child of descriptor.champDescriptors) {
        if (!isLayoutChamp(child.__typename))
          add(blockKey(descriptor.id, block, child.id), blockHeader(descriptor.label, block, child.label));
      }
    }
  };
  for (const descriptor of form) plan(descriptor);

  const values = dossiers.map((dossier) => {
    const cells = new Map<string, string>();
    const put = (key: string, header: string, champ: ListChamp) => {
      add(key, header);
      cells.set(key, champText(champ));
    };
    for (const champ of dossier.champs) {
      if (isLayoutChamp(champ.__typename)) continue;
      if (!champ.rows) {
        put(champ.champDescriptorId, champ.label, champ);
        continue;
      }
      champ.rows.forEach((row, index) => {
        for (const child of row.champs) {
          if (isLayoutChamp(child.__typename)) continue;
          const block = index + 1;
          put(
            blockKey(champ.champDescriptorId, block, child.champDescriptorId),
            blockHeader(champ.label, block, child.label),
            child,
          );
        }
      });
    }
    return [dossier.number, cells] as const;
  });

  const keys = [...columns.keys()];
  return {
    headers: [...columns.values()],
    cells: values.map(([number, cells]) => [number, keys.map((key) => cells.get(key) ?? '')]),
  };
}
