import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isArchivisteMark, observe, onlyArchivisteMarks } from '@/lib/content/observe';

/** MutationObserver callbacks run as microtasks after the mutating task. */
const mutationsDelivered = () => new Promise((resolve) => setTimeout(resolve, 0));

function headerTop(state: string): HTMLElement {
  const header = document.createElement('div');
  header.id = 'header-top';
  const badge = document.createElement('span');
  badge.className = 'fr-badge';
  badge.textContent = state;
  header.append(badge);
  return header;
}

describe('observe', () => {
  let controller: AbortController;
  let signal: AbortSignal;
  beforeEach(() => {
    controller = new AbortController();
    signal = controller.signal;
  });
  afterEach(() => {
    controller.abort();
    document.body.replaceChildren();
  });

  it('calls back once for each element already on the page', () => {
    document.body.append(headerTop('en instruction'), headerTop('accepté'));
    const seen = vi.fn();
    observe('#header-top', seen, { signal });
    expect(seen).toHaveBeenCalledTimes(2);
    expect(seen.mock.calls.map(([element]) => element.textContent)).toEqual(['en instruction', 'accepté']);
  });

  it('calls back for matching elements inserted later, nested or not', async () => {
    const seen = vi.fn();
    observe('.fr-badge', seen, { signal });
    expect(seen).not.toHaveBeenCalled();
    document.body.append(headerTop('en construction'));
    const loose = document.createElement('span');
    loose.className = 'fr-badge';
    document.body.append(loose);
    await mutationsDelivered();
    expect(seen.mock.calls.map(([element]) => element)).toEqual([
      document.querySelector('#header-top .fr-badge'),
      loose,
    ]);
  });

  it('calls back again when DS replaces the element, not when it moves it', async () => {
    const old = headerTop('en instruction');
    const wrapper = document.createElement('div');
    document.body.append(wrapper, old);
    const seen = vi.fn();
    observe('#header-top', seen, { signal });

    // turbo-stream "replace": a new #header-top takes the old one's place.
    const morphed = headerTop('accepté');
    old.replaceWith(morphed);
    await mutationsDelivered();
    // The same node moved elsewhere is not new.
    wrapper.append(morphed);
    await mutationsDelivered();

    expect(seen.mock.calls.map(([element]) => element)).toEqual([old, morphed]);
  });

  it('ignores elements inserted and removed within the same burst', async () => {
    const seen = vi.fn();
    observe('#header-top', seen, { signal });
    const transient = headerTop('en construction');
    document.body.append(transient);
    transient.remove();
    await mutationsDelivered();
    expect(seen).not.toHaveBeenCalled();
  });

  it('looks only under its root', async () => {
    const root = document.createElement('section');
    document.body.append(root);
    const seen = vi.fn();
    observe('#header-top', seen, { signal, root });
    document.body.append(headerTop('outside'));
    root.append(headerTop('inside'));
    await mutationsDelivered();
    expect(seen.mock.calls.map(([element]) => element.textContent)).toEqual(['inside']);
  });

  it('stops when its signal aborts, and never starts on an aborted one', async () => {
    const stop = new AbortController();
    const seen = vi.fn();
    observe('#header-top', seen, { signal: stop.signal });
    document.body.append(headerTop('before'));
    await mutationsDelivered();
    stop.abort();
    document.body.append(headerTop('after'));
    await mutationsDelivered();
    expect(seen.mock.calls.map(([element]) => element.textContent)).toEqual(['before']);

    const late = vi.fn();
    observe('#header-top', late, { signal: stop.signal });
    expect(late).not.toHaveBeenCalled();
  });

  it('waits for mutations, not for timers', async () => {
    const timers = [vi.spyOn(globalThis, 'setTimeout'), vi.spyOn(globalThis, 'setInterval')];
    const seen = vi.fn();
    observe('#header-top', seen, { signal });
    document.body.append(headerTop('en construction'));
    await Promise.resolve();
    expect(seen).toHaveBeenCalledOnce();
    for (const timer of timers) expect(timer).not.toHaveBeenCalled();
    for (const timer of timers) timer.mockRestore();
  });
});

describe('Archiviste’s own marks', () => {
  it('tells Archiviste’s insertions from DS’s changes, so they wake no new reading', async () => {
    const row = document.createElement('tr');
    const cell = document.createElement('td');
    row.append(cell);
    document.body.append(row);
    const records: MutationRecord[][] = [];
    const watcher = new MutationObserver((batch) => records.push(batch));
    watcher.observe(document.body, { childList: true, subtree: true, characterData: true });

    const slot = document.createElement('div');
    slot.dataset.archivisteSlot = 'countdown';
    cell.append(slot);
    await mutationsDelivered();
    slot.append(document.createElement('span'));
    await mutationsDelivered();
    cell.append(document.createElement('span'));
    await mutationsDelivered();
    watcher.disconnect();

    expect(records.map((batch) => onlyArchivisteMarks(batch))).toEqual([true, true, false]);
    expect(isArchivisteMark(slot.firstChild!)).toBe(true);
    expect(isArchivisteMark(cell)).toBe(false);
    document.body.replaceChildren();
  });

  it('does not look inside Archiviste’s marks for DS’s elements', async () => {
    const controller = new AbortController();
    const seen = vi.fn();
    observe('.fr-badge', seen, { signal: controller.signal });
    const banner = document.createElement('div');
    banner.dataset.archivisteBanner = '1';
    const badge = document.createElement('span');
    badge.className = 'fr-badge';
    banner.append(badge);
    document.body.append(banner);
    await mutationsDelivered();
    expect(seen).not.toHaveBeenCalled();
    controller.abort();
    document.body.replaceChildren();
  });
});
