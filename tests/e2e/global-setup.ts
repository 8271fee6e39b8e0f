import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { recordProjectNetwork } from './network-recorder';

declare module 'vitest' {
  export interface ProvidedContext {
    extensionDir: string;
  }
}

/**
 * Builds the demo-mode extension once per run (it may reach the local DS instance on loopback) and
 * starts the request recorder; at the end, writes what it saw to `.test-results/network/chromium/`
 * (`tests/e2e/network.test.ts`, which runs last, fails the run on a request breaking the rules).
 */
export default async function setup(project: TestProject) {
  const root = resolve(import.meta.dirname, '../..');
  if (process.env.ARCHIVISTE_SKIP_BUILD !== '1') {
    execFileSync('npx', ['wxt', 'build', '--mode', 'demo'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  project.provide('extensionDir', resolve(root, '.output/chrome-mv3-demo'));
  return recordProjectNetwork(project, resolve(root, '.test-results/network/chromium'));
}
