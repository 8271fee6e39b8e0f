// Not `instanceof Element`: DOM nodes may come from another realm (Firefox Xrays, parsed documents).
const isElement = (node: Node): node is Element => node.nodeType === Node.ELEMENT_NODE;

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
  const scan = (node: Element | Document) => {
    if (isElement(node) && node.matches(selector)) visit(node);
    // Queried from the root and kept when inside `node`: a selector anchored above the inserted node
    // (`#table-dossiers > tbody > tr`, a new tbody) matches the same in every DOM implementation.
    for (const element of root.querySelectorAll(selector)) if (node.contains(element)) visit(element);
  };

  scan(root);
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        // Nodes added then removed within the same burst are gone already.
        if (isElement(node) && node.isConnected && !signal.aborted) scan(node);
      }
    }
  });
  observer.observe(root, { childList: true, subtree: true });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}
