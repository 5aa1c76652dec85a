/**
 * The order `npm test` starts its files in: the few files that take minutes (backups, whole
 * demos and CLI processes) first, then Vitest's own order
 * (longest first by the last run's durations, failed first, unknown first). With two
 * workers, a file of minutes started last would leave one worker alone with it at the end;
 * started first, it runs beside the rest. Where no earlier run is cached (CI), this list is
 * the only knowledge of which files are long.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Path endings, heaviest first (measured on PGlite, two cores). */
export const HEAVIEST = [
  'test/foundation/backup.test.ts',
  'test/foundation/cli-commands.test.ts',
  'test/agents/agent-config-cli.test.ts',
  'test/foundation/cli.test.ts',
  'test/journeys/demo.test.ts',
];

function rank(spec: TestSpecification): number {
  const at = HEAVIEST.findIndex((ending) => spec.moduleId.endsWith(ending));
  return at === -1 ? HEAVIEST.length : at;
}

export class HeaviestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: the rest keep Vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
