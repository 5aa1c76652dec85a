/**
 * `METRICS_TOKEN`: with it, `/metrics` answers to `Authorization: Bearer <token>`;
 * without it `/metrics` is off. Off is not a fault — Tidings serves people the same — so
 * an unset token is a skipped check that says how to turn it on, in production too.
 */
import type { Config } from '../config.ts';
import { type CheckResult, pass, skip } from './report.ts';

const ID = 'metrics';

export function checkMetrics(config: Config): CheckResult {
  if (config.metricsToken) {
    return pass(ID, '/metrics is on: it answers to Authorization: Bearer with METRICS_TOKEN');
  }
  return skip(
    ID,
    `/metrics is off: set METRICS_TOKEN (at least 16 characters, e.g. openssl rand -hex 24) to scrape it${config.env === 'production' ? ' — recommended in production' : ''}`,
  );
}
