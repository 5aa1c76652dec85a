/**
 * The Prometheus alerts and the Grafana dashboard in `deploy/`: promtool accepts the rules
 * and passes their unit tests; every alert has a `for:`, a severity, a summary and a
 * description, and a test where it fires and one where it stays silent; and every metric
 * the rules and the dashboard name is one Tidings exports. promtool comes with the Debian
 * package `prometheus`: without it these checks fail under CI and are skipped elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMemoryDatabase } from '../../src/db/index.ts';
import { createMetrics } from '../../src/metrics.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RULES = path.join(ROOT, 'deploy/prometheus/alerts.yml');
const RULE_TESTS = path.join(ROOT, 'deploy/prometheus/alerts.test.yml');
const DASHBOARD = path.join(ROOT, 'deploy/grafana/tidings-dashboard.json');

function promtool(...args: string[]) {
  return spawnSync('promtool', args, { cwd: path.dirname(RULES), encoding: 'utf8' });
}

const promtoolMissing = promtool('--version').error !== undefined;
if (promtoolMissing && !process.env.CI) {
  console.warn('[tidings] promtool not found: the alert rule checks are skipped.');
}

describe('the alert rules under promtool', () => {
  it.skipIf(promtoolMissing && !process.env.CI)('are valid and pass their unit tests', () => {
    if (promtoolMissing) {
      throw new Error('promtool is missing: install the Debian package `prometheus` to run it.');
    }
    const check = promtool('check', 'rules', RULES);
    const tests = promtool('test', 'rules', RULE_TESTS);
    expect({
      check: [check.status, check.stdout.includes('SUCCESS')],
      tests: [tests.status, tests.stdout.includes('SUCCESS')],
    }).toStrictEqual({ check: [0, true], tests: [0, true] });
  });
});

/** The rules of alerts.yml, one text block each, by alert name. */
function ruleBlocks(): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const block of readFileSync(RULES, 'utf8')
    .split(/\n(?=\s*- alert: )/)
    .slice(1)) {
    const name = /- alert: (\w+)/.exec(block)?.[1];
    if (name) blocks.set(name, block);
  }
  return blocks;
}

/** For each alert the rule tests name: whether a case expects it, and one expects silence. */
function ruleCases(): Map<string, { fires: boolean; silent: boolean }> {
  const cases = new Map<string, { fires: boolean; silent: boolean }>();
  for (const test of readFileSync(RULE_TESTS, 'utf8')
    .split(/\n(?=\s*- name: )/)
    .slice(1)) {
    for (const check of test.split(/\n(?=\s*- eval_time: )/).slice(1)) {
      const name = /alertname: (\w+)/.exec(check)?.[1];
      if (!name) continue;
      const seen = cases.get(name) ?? { fires: false, silent: false };
      if (/exp_alerts: \[\]/.test(check)) seen.silent = true;
      else if (/exp_alerts:\s*\n\s*- exp_labels:/.test(check)) seen.fires = true;
      cases.set(name, seen);
    }
  }
  return cases;
}

describe('the alert rules', () => {
  it('each wait a while, carry a severity, and say what happened and what to do', () => {
    const incomplete = [...ruleBlocks()]
      .filter(
        ([, block]) =>
          !/\n\s+for: \d+[smh]/.test(block) ||
          !/\n\s+severity: (critical|warning)/.test(block) ||
          !/\n\s+summary: /.test(block) ||
          !/\n\s+description: /.test(block),
      )
      .map(([name]) => name);
    expect({ rules: ruleBlocks().size >= 10, incomplete }).toStrictEqual({
      rules: true,
      incomplete: [],
    });
  });

  it('each have a test where they fire and one where they stay silent', () => {
    const cases = ruleCases();
    const untested = [...ruleBlocks().keys()].filter(
      (name) => !(cases.get(name)?.fires && cases.get(name)?.silent),
    );
    const unknown = [...cases.keys()].filter((name) => !ruleBlocks().has(name));
    expect({ untested, unknown }).toStrictEqual({ untested: [], unknown: [] });
  });
});

/** The Tidings metric names a PromQL text (or any text) mentions. */
function metricNamesIn(text: string): string[] {
  return [...new Set(text.match(/\btidings_[a-z0-9_]+/g) ?? [])].sort();
}

describe('the metrics the rules and the dashboard read', () => {
  let exported: Set<string>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const database = await openMemoryDatabase();
    close = () => database.close();
    const metrics = createMetrics({ database, now: () => new Date() });
    exported = new Set();
    for (const metric of await metrics.registry.getMetricsAsJSON()) {
      exported.add(metric.name);
      if (String(metric.type) === 'histogram') {
        for (const suffix of ['_bucket', '_sum', '_count']) exported.add(metric.name + suffix);
      }
    }
  });
  afterAll(async () => {
    await close?.();
  });

  it('are all exported by Tidings (rules)', () => {
    const named = metricNamesIn(readFileSync(RULES, 'utf8'));
    expect({
      many: named.length >= 8,
      missing: named.filter((name) => !exported.has(name)),
    }).toStrictEqual({ many: true, missing: [] });
  });

  it('are all exported by Tidings (dashboard), and the dashboard is valid JSON', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      panels: Array<{ targets?: Array<{ expr: string }> }>;
    };
    const exprs = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((t) => t.expr);
    const named = metricNamesIn(exprs.join('\n'));
    expect({
      panels: exprs.length >= 20,
      many: named.length >= 15,
      missing: named.filter((name) => !exported.has(name)),
    }).toStrictEqual({ panels: true, many: true, missing: [] });
  });

  it('include the gauge that says when the process started', () => {
    expect(exported.has('tidings_process_start_time_seconds')).toBe(true);
  });
});
