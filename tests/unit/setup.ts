import 'fake-indexeddb/auto';
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { installFakeI18n } from './fake-i18n';

beforeEach(() => {
  fakeBrowser.reset();
  installFakeI18n();
});
