import { render, type VNode } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type DemarcheRow, type DossierRow, db, type InstanceRow } from '@/lib/core/db';
import type { MessageKind, RequestOf, ResponseOf } from '@/lib/platform/messages';
import { addDays } from '@/lib/platform/time';

/** Rows, a fake background and small DOM queries for the popup and options tests. */

export const DN = 'https://demarche.numerique.gouv.fr';
export const NOW = new Date('2026-11-23T10:00:00+01:00');

export const instance = (extra: Partial<InstanceRow> = {}): InstanceRow => ({
  origin: DN,
  name: 'Démarche numérique',
  addedAt: NOW.toISOString(),
  mode: 'session',
  ...extra,
});

export const demarche = (number: number, extra: Partial<DemarcheRow> = {}): DemarcheRow => ({
  origin: DN,
  number,
  title: `Subvention ${number}`,
  watched: true,
  discoveredAt: NOW.toISOString(),
  ...extra,
});

/** A processed dossier DS will delete `daysLeft` days after NOW (a date read from the API). */
export const dossier = (
  number: number,
  demarcheNumber: number,
  daysLeft: number,
  extra: Partial<DossierRow> = {},
): DossierRow => ({
  origin: DN,
  number,
  demarche: demarcheNumber,
  state: 'accepte',
  label: `demandeur${number}@example.fr`,
  expiresAt: addDays(NOW, daysLeft).toISOString(),
  expirySource: 'api',
  lastSeenAt: NOW.toISOString(),
  ...extra,
});

export async function resetDb(): Promise<void> {
  await Promise.all(db.tables.map((table) => table.clear()));
}

export async function seed(rows: { instances?: InstanceRow[]; demarches?: DemarcheRow[]; dossiers?: DossierRow[] }) {
  await db.instances.bulkPut(rows.instances ?? []);
  await db.demarches.bulkPut(rows.demarches ?? []);
  await db.dossiers.bulkPut(rows.dossiers ?? []);
}

type FakeHandlers = { [K in MessageKind]?: (payload: RequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>> };

/** Answers the pages' messages as the background would; returns the requests it received. */
export function fakeBackground(handlers: FakeHandlers): { kind: MessageKind; payload: unknown }[] {
  const received: { kind: MessageKind; payload: unknown }[] = [];
  fakeBrowser.runtime.onMessage.addListener(((message: { archiviste: MessageKind; payload: never }) => {
    const handler = handlers[message.archiviste] as ((payload: unknown) => unknown) | undefined;
    if (!handler) return undefined;
    received.push({ kind: message.archiviste, payload: message.payload });
    return Promise.resolve()
      .then(() => handler(message.payload))
      .then(
        (value) => ({ ok: true, value }),
        (error: Error) => ({ ok: false, error: error.message }),
      );
  }) as never);
  return received;
}

let mounted: HTMLElement[] = [];

export function mount(vnode: VNode): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  mounted.push(container);
  act(() => render(vnode, container));
  return container;
}

export function unmountAll(): void {
  for (const container of mounted) {
    act(() => render(null, container));
    container.remove();
  }
  mounted = [];
}

/** The control a visible `<label for>` with exactly this text names. */
export function byLabel<T extends HTMLElement = HTMLInputElement>(root: HTMLElement, text: string): T {
  const label = [...root.querySelectorAll('label')].find((l) => l.textContent?.trim() === text);
  if (!label) throw new Error(`No label « ${text} »`);
  const control = root.ownerDocument.getElementById(label.htmlFor);
  if (!control) throw new Error(`Label « ${text} » names no control`);
  return control as T;
}

/** The button whose text (including visually hidden text) starts with `name`. */
export function button(root: HTMLElement, name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find((b) => b.textContent?.trim().startsWith(name));
  if (!found) throw new Error(`No button « ${name} »`);
  return found;
}

export const buttons = (root: HTMLElement, name: string) =>
  [...root.querySelectorAll('button')].filter((b) => b.textContent?.trim().startsWith(name));

export const text = (root: HTMLElement) => root.textContent?.replace(/\s+/g, ' ') ?? '';

/** Types into a field as a user does: sets its value and fires `input`. */
export function type(input: HTMLInputElement, value: string): void {
  act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
