/**
 * `npm run bench`: starts the whole product against the Google sandbox, measures every
 * figure against a baseline taken in the same run, prints a table and writes
 * `bench/results/latest.json`. Bounded loops, loopback only; closes everything so the
 * process exits by itself.
 */
import { fileURLToPath } from 'node:url';
import { runtimeApiFigures } from './api-bench.ts';
import { startBenchStack } from './bench-stack.ts';
import { brokerSingleFlightFigures, brokerWarmFigures } from './broker-bench.ts';
import { listingFigures } from './listing-bench.ts';
import { mcpFigures } from './mcp-bench.ts';
import { buildReport, type Figures, formatTable, writeReport } from './report.ts';

const RESULTS_FILE = fileURLToPath(new URL('./results/latest.json', import.meta.url));

async function main(): Promise<void> {
  const ranAt = new Date();
  const started = performance.now();
  const bench = await startBenchStack();
  const figures: Figures = {};
  try {
    const alex = await bench.connect('alex@example.com');
    const sam = await bench.connect('sam@example.com');
    const step = async (name: string, measure: () => Promise<Figures>) => {
      const at = performance.now();
      Object.assign(figures, await measure());
      console.error(`${name} measured in ${((performance.now() - at) / 1000).toFixed(1)} s`);
    };
    await step('broker (warm)', () => brokerWarmFigures(bench, alex.connectionId));
    await step('runtime API', () => runtimeApiFigures(bench, alex));
    await step('MCP', () => mcpFigures(bench, alex));
    await step('gmail listing', () => listingFigures(bench, alex));
    // Moves the app's clock past every token's expiry: last.
    await step('broker (single flight)', () => brokerSingleFlightFigures(bench, sam.connectionId));
  } finally {
    await bench.close();
  }
  const report = buildReport(figures, ranAt);
  await writeReport(RESULTS_FILE, report);
  console.log(formatTable(report));
  console.log(
    `total ${((performance.now() - started) / 1000).toFixed(1)} s; written to bench/results/latest.json`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
