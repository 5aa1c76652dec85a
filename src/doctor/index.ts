/**
 * `tidings doctor [--json]`: checks the live configuration — the environment `tidings
 * start` reads — one check at a time, and says what to fix. Exit 0 when no check failed
 * (a check that does not apply is skipped), 1 when one did, 2 for a bad option. Output is
 * a line per check, or with `--json` one document `{ok, checks: [{id, status, summary,
 * fix?, details?}]}`. Nothing is written: no migration, no generated key, no webhook.
 */
import type { DoctorDeps } from './http-probe.ts';
import { renderJson, renderText } from './report.ts';
import { runDoctor } from './run.ts';

export { type DoctorDeps, reach } from './http-probe.ts';
export {
  type CheckResult,
  type CheckStatus,
  type DoctorReport,
  renderJson,
  renderText,
} from './report.ts';
export { CHECK_IDS, type CheckId, runDoctor } from './run.ts';

/** Per network call (and per database or admin-socket round trip). */
export const DEFAULT_TIMEOUT_MS = 10_000;

const USAGE = 'usage: tidings doctor [--json]';

export interface DoctorOutput {
  out(line: string): void;
  err(line: string): void;
}

const CONSOLE: DoctorOutput = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** The CLI entry: parses the options, runs the checks, prints, returns the exit code. */
export async function doctorCommand(
  env: Record<string, string | undefined>,
  args: readonly string[],
  deps: Partial<DoctorDeps> = {},
  output: DoctorOutput = CONSOLE,
): Promise<number> {
  let json = false;
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') {
      output.out(USAGE);
      return 0;
    } else {
      output.err(`tidings doctor: unknown option ${JSON.stringify(arg)}\n${USAGE}`);
      return 2;
    }
  }
  const report = await runDoctor(env, {
    fetch: deps.fetch ?? fetch,
    timeoutMs: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    now: deps.now ?? (() => new Date()),
  });
  if (json) output.out(renderJson(report));
  else for (const line of renderText(report)) output.out(line);
  return report.ok ? 0 : 1;
}
