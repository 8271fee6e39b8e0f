import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { e2eEnabled } from './tests/e2e/chromium.ts';
import { NetworkCheckLast } from './tests/e2e/network-sequencer.ts';
import { firefoxEnabled } from './tests/e2e-firefox/firefox.ts';

/**
 * One run, four projects: unit (extension logic in happy-dom with WXT's fake browser), demo (the
 * local DS instance, in Node), e2e (the built extension in a real Chromium against the demo) and
 * e2e-firefox (the Firefox build's core path in Firefox ESR, through WebDriver BiDi).
 * The JSON report feeds `.ci/run`'s closing `N passed, N failed` line.
 */
export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
    // The e2e network check reads what every other e2e file's browser requested: it runs last.
    sequence: { sequencer: NetworkCheckLast },
    projects: [
      {
        plugins: [WxtVitest(), preact()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['tests/unit/setup.ts'],
        },
      },
      {
        test: {
          name: 'demo',
          include: ['tests/demo/**/*.test.ts'],
          environment: 'node',
        },
      },
      ...(e2eEnabled()
        ? [
            {
              test: {
                name: 'e2e',
                include: ['tests/e2e/**/*.test.ts'],
                environment: 'node',
                globalSetup: ['tests/e2e/global-setup.ts'],
                // One browser at a time on a 2-core machine; after the fast suites.
                maxWorkers: 1,
                sequence: { groupOrder: 1 },
                testTimeout: 60_000,
                hookTimeout: 180_000,
              },
            },
          ]
        : []),
      ...(firefoxEnabled()
        ? [
            {
              test: {
                name: 'e2e-firefox',
                include: ['tests/e2e-firefox/**/*.test.ts'],
                environment: 'node',
                globalSetup: ['tests/e2e-firefox/global-setup.ts'],
                // After the Chromium files: one browser at a time.
                maxWorkers: 1,
                sequence: { groupOrder: 2 },
                testTimeout: 60_000,
                hookTimeout: 180_000,
              },
            },
          ]
        : []),
    ],
  },
});
