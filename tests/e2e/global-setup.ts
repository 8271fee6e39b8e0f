import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startNetworkRecorder, writeNetworkReport } from './network-recorder';

declare module 'vitest' {
  export interface ProvidedContext {
    extensionDir: string;
    /** `127.0.0.1:<port>`: the proxy every e2e Chromium sends all its requests through. */
    networkProxy: string;
    /** Where the proxy logs them and where the tests register their demo instances. */
    networkDir: string;
  }
}

/**
 * Builds the demo-mode extension once per run (it may reach the local DS instance on loopback) and
 * starts the request recorder; at the end, writes what it saw to `.test-results/network/`
 * (`tests/e2e/network.test.ts`, which runs last, fails the run on a request breaking the rules).
 */
export default async function setup(project: TestProject) {
  const root = resolve(import.meta.dirname, '../..');
  if (process.env.ARCHIVISTE_SKIP_BUILD !== '1') {
    execFileSync('npx', ['wxt', 'build', '--mode', 'demo'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  project.provide('extensionDir', resolve(root, '.output/chrome-mv3-demo'));
  const networkDir = resolve(root, '.test-results/network');
  const recorder = await startNetworkRecorder(networkDir);
  project.provide('networkProxy', `127.0.0.1:${recorder.port}`);
  project.provide('networkDir', networkDir);
  return async () => {
    await recorder.close();
    const report = writeNetworkReport(networkDir);
    if (report.violations.length)
      console.warn(`\n⚠  ${report.violations.length} request(s) broke the network rules, see ${networkDir}\n`);
  };
}
