import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The file that checks every request the e2e browsers made, so it runs after all the others. */
export const NETWORK_CHECK = 'tests/e2e/network.test.ts';

/** Vitest's own order, with the e2e network check moved to the very end. */
export class NetworkCheckLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isCheck = (spec: TestSpecification) => spec.moduleId.endsWith(`/${NETWORK_CHECK}`);
    return [...sorted.filter((spec) => !isCheck(spec)), ...sorted.filter(isCheck)];
  }
}
