/**
 * `npm run bench`: starts the whole product against the Google sandbox, measures every
 * figure against a baseline taken in the same run, prints a table and writes
 * `bench/results/latest.json`. Bounded loops, loopback only; closes everything so the
 * process exits by itself.
 *
 * `npm run bench -- --quick` runs every benchmark with small counts (CI does, so they
 * never rot: it checks they run, not their values) and writes `bench/results/quick.json`.
 * `npm run bench -- --only api,sweep` runs some of them; the figures of the others stay as
 * their last run wrote them.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runtimeApiFigures, runtimeApiPostgresFigures } from './api-bench.ts';
import { startBenchStack } from './bench-stack.ts';
import { botFigures } from './bot-bench.ts';
import { brokerSingleFlightFigures, brokerWarmFigures } from './broker-bench.ts';
import { listingFigures } from './listing-bench.ts';
import { mcpFigures } from './mcp-bench.ts';
import { processFigures } from './process-bench.ts';
import { buildReport, type Figures, formatTable, ReportSchema, writeReport } from './report.ts';
import { sweepFigures } from './sweep-bench.ts';
import { watchFigures } from './watch-bench.ts';

const GROUPS = [
  'api',
  'mcp',
  'listing',
  'broker',
  'api-pg',
  'bot',
  'sweep',
  'watch',
  'process',
] as const;
type Group = (typeof GROUPS)[number];

function options(): { quick: boolean; only: Set<Group> } {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
  });
  const only = values.only?.split(',').map((name) => name.trim()) ?? [...GROUPS];
  for (const name of only) {
    if (!(GROUPS as readonly string[]).includes(name)) {
      throw new Error(`--only: unknown benchmark ${name} (known: ${GROUPS.join(', ')})`);
    }
  }
  return { quick: values.quick, only: new Set(only as Group[]) };
}

async function main(): Promise<void> {
  const { quick, only } = options();
  const resultsFile = fileURLToPath(
    new URL(quick ? './results/quick.json' : './results/latest.json', import.meta.url),
  );
  const ranAt = new Date();
  const started = performance.now();
  const figures: Figures = {};
  const step = async (group: Group, name: string, measure: () => Promise<Figures>) => {
    if (!only.has(group)) return;
    const at = performance.now();
    Object.assign(figures, await measure());
    console.error(`${name} measured in ${((performance.now() - at) / 1000).toFixed(1)} s`);
  };

  if (['api', 'mcp', 'listing', 'broker'].some((group) => only.has(group as Group))) {
    const bench = await startBenchStack();
    try {
      const alex = await bench.connect('alex@example.com');
      const sam = await bench.connect('sam@example.com');
      await step('broker', 'broker (warm)', () => brokerWarmFigures(bench, alex.connectionId));
      await step('api', 'runtime API', () => runtimeApiFigures(bench, alex, { quick }));
      await step('mcp', 'MCP', () => mcpFigures(bench, alex, { quick }));
      await step('listing', 'gmail listing', () => listingFigures(bench, alex));
      // Moves the app's clock past every token's expiry: last on this stack.
      await step('broker', 'broker (single flight)', () =>
        brokerSingleFlightFigures(bench, sam.connectionId),
      );
    } finally {
      await bench.close();
    }
  }
  await step('api-pg', 'runtime API on PostgreSQL', () => runtimeApiPostgresFigures({ quick }));
  await step('bot', 'bot', () => botFigures({ quick }));
  await step('sweep', 'sweep at scale', () => sweepFigures({ quick }));
  await step('watch', 'new-mail alerts', () => watchFigures({ quick }));
  await step('process', 'process', () => processFigures({ quick }));

  // Some of the benchmarks: the others keep the figures of their last run.
  const partial = only.size < GROUPS.length;
  const report = buildReport(
    partial ? { ...(await earlierFigures(resultsFile)), ...figures } : figures,
    ranAt,
  );
  await writeReport(resultsFile, report);
  console.log(formatTable(report));
  console.log(
    `total ${((performance.now() - started) / 1000).toFixed(1)} s; written to ${
      quick
        ? 'bench/results/quick.json (quick mode: small counts, not for comparison)'
        : 'bench/results/latest.json'
    }`,
  );
}

/** The figures already in `file`, or none when it is missing or unreadable. */
async function earlierFigures(file: string): Promise<Figures> {
  try {
    return ReportSchema.parse(JSON.parse(await readFile(file, 'utf8'))).figures as Figures;
  } catch {
    return {};
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
