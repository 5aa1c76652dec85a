/**
 * Figures from the reliability suite: each test records what it counted (requests,
 * rounds, failures seen, answers by kind) under a name. They are printed, and written to
 * `reliability-report/<name>.json` so the README's Reliability table can be refreshed from
 * a run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Figures = Record<string, number | string | boolean | Record<string, number>>;

const REPORT_DIR = join(import.meta.dirname, '..', '..', 'reliability-report');

export function reportFigures(name: string, figures: Figures): void {
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(join(REPORT_DIR, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`[reliability] ${name}: ${JSON.stringify(figures)}`);
}
