import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    extensionDir: string;
  }
}

/** Builds the demo-mode extension once per run (it may reach the local DS instance on loopback). */
export default function setup(project: TestProject) {
  const root = resolve(import.meta.dirname, '../..');
  if (process.env.ARCHIVISTE_SKIP_BUILD !== '1') {
    execFileSync('npx', ['wxt', 'build', '--mode', 'demo'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  project.provide('extensionDir', resolve(root, '.output/chrome-mv3-demo'));
}
