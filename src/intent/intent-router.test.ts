import { describe, expect, it } from 'vitest';
import { routeIntent } from './intent-router.ts';
import { actions, agenda, berlin, routesAll, unknown } from './intent-router.harness.ts';
import type { RouteCase } from './intent-router.harness.ts';

// Agenda, free time, mail and unread phrasings: intent-router-{agenda,free,mail}.test.ts;
// around midnight, DST and far zones: intent-router-zones.test.ts.

const CASES: RouteCase[] = [
  // Action items.
  ['what do I need to do this week?', berlin, 'Berlin', actions(7, 'this week')],
  ['action items', berlin, 'Berlin', actions(7, 'the last 7 days')],
  ['anything I need to reply to?', berlin, 'Berlin', actions(7, 'the last 7 days')],
  ['todo from email', berlin, 'Berlin', actions(7, 'the last 7 days')],
  ['tasks from the last 3 days', berlin, 'Berlin', actions(3, 'the last 3 days')],
  ['action items from the last 999999999 days', berlin, 'Berlin', actions(30, 'the last 30 days')],
  ['any follow-ups today', berlin, 'Berlin', actions(1, 'today')],
  // Briefing, help, greetings, unknown.
  ['give me my briefing', berlin, 'Berlin', { kind: 'briefing' }],
  ['morning summary', berlin, 'Berlin', { kind: 'briefing' }],
  ['catch me up', berlin, 'Berlin', { kind: 'briefing' }],
  ['help', berlin, 'Berlin', { kind: 'help' }],
  ['What can you do?', berlin, 'Berlin', { kind: 'help' }],
  ['/help', berlin, 'Berlin', { kind: 'help' }],
  ['hi', berlin, 'Berlin', { kind: 'greeting' }],
  ['Hello there!', berlin, 'Berlin', { kind: 'greeting' }],
  ['thanks!', berlin, 'Berlin', { kind: 'greeting' }],
  ['Thank you so much', berlin, 'Berlin', { kind: 'greeting' }],
  ['good morning', berlin, 'Berlin', { kind: 'greeting' }],
  ['asdf qwerty', berlin, 'Berlin', unknown],
  ['', berlin, 'Berlin', unknown],
  ['tell me a joke', berlin, 'Berlin', unknown],
];

describe('routeIntent: action items, briefing, help, greetings and the rest', () => {
  routesAll(CASES);

  it('falls back to UTC for an invalid time zone', () => {
    expect(
      routeIntent('today', { now: new Date('2026-03-05T14:20:00Z'), timeZone: 'Mars/Olympus' }),
    ).toStrictEqual(agenda('2026-03-05T00:00:00Z', '2026-03-06T00:00:00Z', 'today'));
  });
});
