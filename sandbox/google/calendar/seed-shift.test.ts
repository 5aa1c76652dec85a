import { describe, expect, it } from 'vitest';
import { parseIcs } from './ics-parse.ts';
import { shiftEvent, shiftTime } from './seed-shift.ts';

describe('seed shift', () => {
  it('moves a zoned time by whole days keeping its wall clock across DST', () => {
    expect(
      shiftTime(
        { kind: 'dateTime', local: '2026-03-02T09:00:00', zone: 'America/New_York' },
        7,
        'UTC',
      ),
    ).toStrictEqual({ kind: 'dateTime', local: '2026-03-09T09:00:00', zone: 'America/New_York' });
  });

  it('moves a UTC value on the wall clock of the event zone', () => {
    expect(
      shiftTime(
        { kind: 'dateTime', local: '2026-03-02T14:00:00', zone: 'UTC' },
        7,
        'America/New_York',
      ),
    ).toStrictEqual({ kind: 'dateTime', local: '2026-03-09T13:00:00', zone: 'UTC' });
  });

  it('moves every date of an event: start, end, UNTIL, EXDATE, RDATE, RECURRENCE-ID and stamps', () => {
    const [master, exception] = parseIcs(`BEGIN:VCALENDAR
BEGIN:VEVENT
UID:series01
CREATED:20260201T120000Z
DTSTART;TZID=America/New_York:20260302T093000
DTEND;TZID=America/New_York:20260302T103000
RRULE:FREQ=WEEKLY;UNTIL=20260316T133000Z;BYDAY=MO
EXDATE:20260302T143000Z
RDATE;VALUE=DATE:20260304
END:VEVENT
BEGIN:VEVENT
UID:series01
RECURRENCE-ID;TZID=America/New_York:20260309T093000
DTSTART;VALUE=DATE:20260310
DTEND;VALUE=DATE:20260311
END:VEVENT
END:VCALENDAR
`);
    if (!master || !exception) throw new Error('not parsed');
    const moved = shiftEvent(master, 14, 'UTC');
    const movedException = shiftEvent(exception, 14, 'America/New_York');
    expect([
      moved.start,
      moved.end,
      moved.rrules,
      moved.exdates,
      moved.rdates,
      moved.created,
      movedException.recurrenceId,
      movedException.start,
      movedException.end,
    ]).toStrictEqual([
      { kind: 'dateTime', local: '2026-03-16T09:30:00', zone: 'America/New_York' },
      { kind: 'dateTime', local: '2026-03-16T10:30:00', zone: 'America/New_York' },
      ['FREQ=WEEKLY;BYDAY=MO;UNTIL=20260330T133000Z'],
      [{ kind: 'dateTime', local: '2026-03-16T13:30:00', zone: 'UTC' }],
      [{ kind: 'date', date: '2026-03-18' }],
      Date.parse('2026-02-15T12:00:00Z'),
      { kind: 'dateTime', local: '2026-03-23T09:30:00', zone: 'America/New_York' },
      { kind: 'date', date: '2026-03-24' },
      { kind: 'date', date: '2026-03-25' },
    ]);
  });

  it('moves backwards too', () => {
    expect(shiftTime({ kind: 'date', date: '2026-03-02' }, -70, 'UTC')).toStrictEqual({
      kind: 'date',
      date: '2025-12-22',
    });
  });
});
