import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that check every request a browser project's browsers made (Chromium's, Firefox's), so
 * each runs after all the others of its project.
 */
export const NETWORK_CHECKS = ['tests/e2e/network.test.ts', 'tests/e2e-firefox/network.test.ts'];

/** Vitest's own order, with the e2e network checks moved to the very end (so to the end of their projects). */
export class NetworkCheckLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isCheck = (spec: TestSpecification) => NETWORK_CHECKS.some((check) => spec.moduleId.endsWith(`/${check}`));
    return [...sorted.filter((spec) => !isCheck(spec)), ...sorted.filter(isCheck)];
  }
}
