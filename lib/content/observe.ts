// Not `instanceof Element`: DOM nodes may come from another realm (Firefox Xrays, parsed documents).
const isElement = (node: Node): node is Element => node.nodeType === Node.ELEMENT_NODE;

/** What Archiviste inserts in DS's pages: its badges' slots, its banner, its summaries. */
const MARKS = '[data-archiviste-slot], [data-archiviste-banner], [data-archiviste-summary]';

/** Whether a node is (or is inside) something Archiviste put in the page, not something of DS's. */
export function isArchivisteMark(node: Node): boolean {
  const element = isElement(node) ? node : node.parentElement;
  return (element?.closest(MARKS) ?? null) !== null;
}

/** True when a burst of mutations only touched Archiviste's own marks: DS's content did not change. */
export function onlyArchivisteMarks(records: readonly MutationRecord[]): boolean {
  return records.every(
    (record) =>
      isArchivisteMark(record.target) ||
      (record.type === 'childList' &&
        [...record.addedNodes, ...record.removedNodes].every((node) => isElement(node) && node.matches(MARKS))),
  );
}

export interface ObserveOptions {
  /** Stops observing when aborted (the content script's `ctx.signal`). */
  signal: AbortSignal;
  /** Where to look; the whole document by default. */
  root?: Document | Element;
}

/**
 * Calls `callback` once for each element matching `selector`: those already there, then each one
 * DS inserts later (turbo-stream replacements, morphs that swap nodes, counters filled after load).
 * Handled elements are remembered, so a node moved around is not handled twice; a new node
 * replacing an old one is. A MutationObserver, never a timer; stops when `signal` aborts.
 */
export function observe(selector: string, callback: (element: Element) => void, options: ObserveOptions): void {
  const { signal, root = document } = options;
  if (signal.aborted) return;
  const handled = new WeakSet<Element>();
  const visit = (element: Element) => {
    if (handled.has(element)) return;
    handled.add(element);
    callback(element);
  };
  // Each inserted subtree is walked once with `matches`, which tests a selector anchored above it
  // (`#table-dossiers > tbody > tr`, in a new tbody) in every DOM implementation: linear in what DS
  // inserts, whatever the size of the page.
  const scan = (node: Element) => {
    if (node.matches(selector)) visit(node);
    for (const element of node.getElementsByTagName('*')) if (element.matches(selector)) visit(element);
  };

  if (isElement(root) && root.matches(selector)) visit(root);
  for (const element of root.querySelectorAll(selector)) visit(element);
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        // Nodes added then removed within the same burst are gone already; Archiviste's own marks hold
        // nothing of DS's.
        if (isElement(node) && node.isConnected && !signal.aborted && !isArchivisteMark(node)) scan(node);
      }
    }
  });
  observer.observe(root, { childList: true, subtree: true });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}
