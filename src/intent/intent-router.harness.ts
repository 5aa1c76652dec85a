/**
 * What the intent router tests share: the Berlin context they are read in (Thursday 5 March
 * 2026, 15:20, CET), builders for the intents they expect, and the loop that turns a table
 * of phrasings into one test each.
 */
import { expect, it } from 'vitest';
import type { Intent, RouteContext } from './intent.ts';
import { routeIntent, SUGGESTIONS } from './intent-router.ts';

/** Thursday 5 March 2026, 15:20 in Berlin (CET, +01:00). */
export const berlin: RouteContext = {
  now: new Date('2026-03-05T14:20:00Z'),
  timeZone: 'Europe/Berlin',
  locale: 'en-GB',
};

export const agenda = (from: string, to: string, label: string): Intent => ({
  kind: 'agenda',
  from,
  to,
  label,
});
export const freeAt = (at: string, label: string, durationMinutes = 30): Intent => ({
  kind: 'free_at',
  at,
  durationMinutes,
  label,
});
export const slots = (from: string, to: string, label: string, minMinutes = 30): Intent => ({
  kind: 'free_slots',
  from,
  to,
  minMinutes,
  label,
});
export const mail = (query: string, label: string): Intent => ({
  kind: 'mail_search',
  query,
  label,
});
export const actions = (days: number, label: string): Intent => ({ kind: 'actions', days, label });
export const unknown: Intent = { kind: 'unknown', suggestions: [...SUGGESTIONS] };

/** Berlin's offset in March. */
export const B = '+01:00';

/** A phrasing, the context it is read in, where that is (for the test name), the intent. */
export type RouteCase = [string, RouteContext, string, Intent];

/** One test per phrasing: the router reads it as the expected intent. */
export function routesAll(cases: readonly RouteCase[]): void {
  for (const [text, ctx, where, expected] of cases) {
    it(`routes ${JSON.stringify(text)} in ${where} to ${expected.kind}`, () => {
      expect(routeIntent(text, ctx)).toStrictEqual(expected);
    });
  }
}
