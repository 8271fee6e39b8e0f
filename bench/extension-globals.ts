/**
 * The core the benches measure keeps a little state in the extension's storage (settings, the
 * clock's offset): in Node, it gets the same fake browser the unit tests run with. Imported before
 * any of it loads (WXT's browser is picked when it loads).
 */
import { fakeBrowser } from '@webext-core/fake-browser';

(globalThis as { browser?: unknown }).browser = fakeBrowser;
