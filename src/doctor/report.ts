/**
 * What one check finds and how the findings are shown: a line per check for people
 * (✓ passed, ✗ failed, – skipped; under a failure what to do, indented) or one JSON
 * document for machines. A check's words never carry a secret: checks build them from
 * setting names, hosts and what the services answered, never from the secret values.
 */

export const CHECK_STATUSES = ['pass', 'fail', 'skip'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** A JSON value safe to show (hosts, counts, names; never a secret). */
export type Detail = string | number | boolean | null | readonly Detail[] | DetailRecord;
export interface DetailRecord {
  readonly [key: string]: Detail;
}

export interface CheckResult {
  /** Stable: `config`, `database`, `master-key`, … (see `CHECK_IDS`). */
  readonly id: string;
  readonly status: CheckStatus;
  /** One sentence: what was found. */
  readonly summary: string;
  /** For a failure: what to do, as a sentence. */
  readonly fix?: string;
  readonly details?: DetailRecord;
}

export interface DoctorReport {
  /** True when no check failed. */
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}

export function pass(id: string, summary: string, details?: DetailRecord): CheckResult {
  return { id, status: 'pass', summary, ...(details ? { details } : {}) };
}

export function fail(
  id: string,
  summary: string,
  fix: string,
  details?: DetailRecord,
): CheckResult {
  return { id, status: 'fail', summary, fix, ...(details ? { details } : {}) };
}

export function skip(id: string, summary: string, details?: DetailRecord): CheckResult {
  return { id, status: 'skip', summary, ...(details ? { details } : {}) };
}

export function reportOf(checks: readonly CheckResult[]): DoctorReport {
  return { ok: checks.every((check) => check.status !== 'fail'), checks };
}

const MARKS: Record<CheckStatus, string> = { pass: '✓', fail: '✗', skip: '–' };

/** The lines people read: one per check, the fix (and listed problems) under a failure. */
export function renderText(report: DoctorReport): string[] {
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${MARKS[check.status]} ${check.id}: ${check.summary}`);
    if (check.status !== 'fail') continue;
    const problems = check.details?.problems;
    if (Array.isArray(problems)) for (const problem of problems) lines.push(`    - ${problem}`);
    if (check.fix) lines.push(`    ${check.fix}`);
  }
  const failed = report.checks.filter((check) => check.status === 'fail').length;
  lines.push(
    failed === 0
      ? 'Every check passed.'
      : `${failed} check${failed === 1 ? '' : 's'} failed: fix ${failed === 1 ? 'it' : 'them'} and run tidings doctor again.`,
  );
  return lines;
}

export function renderJson(report: DoctorReport): string {
  return JSON.stringify(report, null, 2);
}
