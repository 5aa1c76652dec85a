/**
 * The benchmark report: figures with their baselines and ratios, checked against the
 * `bench/results/latest.json` contract before they are written, and a readable table.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export interface Figure {
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
}

export type Figures = Record<string, Figure>;

const FigureSchema = z.strictObject({
  value: z.number().finite(),
  unit: z.string().min(1),
  baseline: z.number().finite().optional(),
  ratio: z.number().finite().optional(),
});

export const ReportSchema = z.strictObject({
  figures: z.record(z.string().min(1), FigureSchema),
  ranAt: z.iso.datetime(),
  node: z.string().min(1),
});

export type Report = z.infer<typeof ReportSchema>;

function round(value: number): number {
  if (value === 0 || Math.abs(value) >= 100) return Math.round(value * 10) / 10;
  return Number(value.toPrecision(4));
}

/** A figure compared with a baseline measured in the same run: ratio = value / baseline. */
export function versus(value: number, unit: string, baseline: number): Figure {
  return {
    value: round(value),
    unit,
    baseline: round(baseline),
    ratio: baseline === 0 ? 0 : round(value / baseline),
  };
}

/** A figure with nothing to compare against. */
export function alone(value: number, unit: string): Figure {
  return { value: round(value), unit };
}

export function buildReport(figures: Figures, ranAt: Date): Report {
  return ReportSchema.parse({ figures, ranAt: ranAt.toISOString(), node: process.version });
}

export async function writeReport(file: string, report: Report): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** Fixed-width table: figure, value, unit, baseline, ratio. */
export function formatTable(report: Report): string {
  const rows = Object.entries(report.figures).map(([name, f]) => [
    name,
    String(f.value),
    f.unit,
    f.baseline === undefined ? '' : String(f.baseline),
    f.ratio === undefined ? '' : String(f.ratio),
  ]);
  const header = ['figure', 'value', 'unit', 'baseline', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 || i === 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `ran at ${report.ranAt} on Node ${report.node}`,
  ].join('\n');
}
