import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { recordProjectNetwork } from '../e2e/network-recorder';

declare module 'vitest' {
  export interface ProvidedContext {
    firefoxExtensionDir: string;
  }
}

/**
 * Builds the Firefox demo-mode extension once per run (it may reach the local DS instance on
 * loopback) and starts this project's request recorder, whose log, `.test-results/network/firefox/`,
 * is apart from Chromium's: each project checks its own at its end (tests/e2e-firefox/network.test.ts),
 * so either runs alone as well as both together.
 */
export default async function setup(project: TestProject) {
  const root = resolve(import.meta.dirname, '../..');
  execFileSync('npx', ['wxt', 'build', '-b', 'firefox', '--mv3', '--mode', 'demo'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  project.provide('firefoxExtensionDir', resolve(root, '.output/firefox-mv3-demo'));
  return recordProjectNetwork(project, resolve(root, '.test-results/network/firefox'));
}
