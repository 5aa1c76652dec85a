import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUsageLog, takeUnits } from './rate-limits.ts';

const MINUTE_MS = 60_000;

/** The plain reading of the rule: sum what the last minute holds, every time. */
function referenceLog() {
  const entries = new Map<string, { at: number; units: number }[]>();
  return (key: string, nowMs: number, units: number, limit: number): number | null => {
    const kept = (entries.get(key) ?? []).filter((entry) => entry.at > nowMs - MINUTE_MS);
    entries.set(key, kept);
    let spent = kept.reduce((sum, entry) => sum + entry.units, 0);
    if (spent + units <= limit) {
      kept.push({ at: nowMs, units });
      return null;
    }
    for (const entry of kept) {
      spent -= entry.units;
      if (spent + units <= limit) return entry.at + MINUTE_MS;
    }
    return nowMs + MINUTE_MS;
  };
}

describe('the per-user usage log', () => {
  it('answers every charge as summing the last minute would, over any sequence', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            key: fc.constantFrom('gmail\na', 'gmail\nb'),
            step: fc.integer({ min: 0, max: 20_000 }),
            units: fc.integer({ min: 1, max: 100 }),
          }),
          { maxLength: 300 },
        ),
        fc.integer({ min: 50, max: 2_000 }),
        (charges, limit) => {
          const log = createUsageLog();
          const reference = referenceLog();
          let now = 1_000_000;
          for (const charge of charges) {
            now += charge.step;
            expect(takeUnits(log, charge.key, now, charge.units, limit)).toBe(
              reference(charge.key, now, charge.units, limit),
            );
          }
        },
      ),
    );
  });

  it('keeps only the last minute of a long busy run', () => {
    const log = createUsageLog();
    for (let i = 0; i < 200_000; i++) {
      expect(takeUnits(log, 'gmail\na', i * 10, 5, 1_000_000)).toBeNull();
    }
    const window = log.get('gmail\na')!;
    expect(window.entries.length - window.head).toBe(MINUTE_MS / 10);
    expect(window.spent).toBe((MINUTE_MS / 10) * 5);
    expect(window.entries.length).toBeLessThan(3 * (MINUTE_MS / 10));
  });
});
