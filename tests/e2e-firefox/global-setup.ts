import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    firefoxExtensionDir: string;
  }
}

/** Builds the Firefox demo-mode extension once per run (it may reach the local DS instance on loopback). */
export default function setup(project: TestProject) {
  const root = resolve(import.meta.dirname, '../..');
  execFileSync('npx', ['wxt', 'build', '-b', 'firefox', '--mv3', '--mode', 'demo'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  project.provide('firefoxExtensionDir', resolve(root, '.output/firefox-mv3-demo'));
}
