/**
 * Recurrence cases from public iCalendar test suites — libical's `icalrecur_test.txt`,
 * python-dateutil's `test_rrule.py` (rruleset), ical.js's `recur_expansion_test` and its
 * samples — and from public reports of what Google Calendar shows.
 *
 * libical and dateutil write times without a zone; those cases run in a UTC calendar, where
 * floating times and UTC UNTILs compare as those suites compare them. Both suites leave out
 * a DTSTART the rule does not produce; Google shows DTSTART as an extra first instance and
 * counts only the rule's instances for COUNT (see the two Google cases at the end), so such
 * cases list DTSTART too, with a note.
 */
import {
  at,
  DTSTART_NOTE,
  floating,
  monthDays as md,
  type RecurrenceCase,
  vevent,
} from './recurrence-cases.ts';
import { LIBICAL_CASES } from './recurrence-cases-libical.ts';

const DATEUTIL = 'python-dateutil dateutil/test/test_rrule.py, RRuleSetTest';
const ICALJS = 'ical.js test/recur_expansion_test, samples/';

const DATEUTIL_CASES: RecurrenceCase[] = [
  floating(
    DATEUTIL,
    'testSet',
    [
      'DTSTART:19970902T090000',
      'RRULE:FREQ=YEARLY;COUNT=2;BYDAY=TU',
      'RRULE:FREQ=YEARLY;COUNT=1;BYDAY=TH',
    ],
    ['1997-09-01', '1998-01-01'],
    at('09:00', md('1997-09', 2, 4, 9)),
  ),
  floating(
    DATEUTIL,
    'testSetDate',
    [
      'DTSTART:19970902T090000',
      'RRULE:FREQ=YEARLY;COUNT=1;BYDAY=TU',
      'RDATE:19970904T090000',
      'RDATE:19970909T090000',
    ],
    ['1997-09-01', '1998-01-01'],
    at('09:00', md('1997-09', 2, 4, 9)),
  ),
  floating(
    DATEUTIL,
    'testSetExDate',
    [
      'DTSTART:19970902T090000',
      'RRULE:FREQ=YEARLY;COUNT=6;BYDAY=TU,TH',
      'EXDATE:19970904T090000',
      'EXDATE:19970911T090000',
      'EXDATE:19970918T090000',
    ],
    ['1997-09-01', '1998-01-01'],
    at('09:00', md('1997-09', 2, 9, 16)),
  ),
  floating(
    DATEUTIL,
    'testSetExDateRevOrder',
    [
      'DTSTART:20040101T090000',
      'RRULE:FREQ=MONTHLY;COUNT=5;BYMONTHDAY=10',
      'EXDATE:20040410T090000',
      'EXDATE:20040210T090000',
    ],
    ['2004-01-01', '2005-01-01'],
    at('09:00', ['2004-01-01', '2004-01-10', '2004-03-10', '2004-05-10']),
    DTSTART_NOTE,
  ),
  floating(
    DATEUTIL,
    'testSetDateAndExDate',
    [
      'DTSTART:19970902T090000',
      'RDATE:19970904T090000,19970909T090000,19970911T090000',
      'RDATE:19970916T090000,19970918T090000',
      'EXDATE:19970904T090000,19970911T090000,19970918T090000',
    ],
    ['1997-09-01', '1998-01-01'],
    at('09:00', md('1997-09', 2, 9, 16)),
  ),
];

const LA = 'America/Los_Angeles';
const LA_SERIES = [
  'DTSTART;TZID=America/Los_Angeles:20121002T100000',
  'DTEND;TZID=America/Los_Angeles:20121002T103000',
  'LAST-MODIFIED:20120912T171506Z',
  'SEQUENCE:0',
];

const ICALJS_CASES: RecurrenceCase[] = [
  {
    name: 'recur_instances.ics: #next, with its RECURRENCE-ID exceptions applied',
    source: `${ICALJS}recur_instances.ics`,
    zone: LA,
    lines: [
      ...vevent(
        '623c13c0-6c2b-45d6-a12b-c33ad61c4868',
        'RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=1TU',
        'RDATE:20231123T090000Z',
        'RDATE;VALUE=PERIOD:20231125T090000Z/20231125T123000Z',
        'SUMMARY:Crazy Event Thingy!',
        ...LA_SERIES,
        'RDATE;TZID=America/Los_Angeles:20121105T100000',
        'RDATE;TZID=America/Los_Angeles:20121110T100000,20121130T100000',
        'EXDATE;TZID=America/Los_Angeles:20130402T100000',
        'EXDATE;TZID=America/Los_Angeles:20121204T100000',
        'EXDATE;TZID=America/Los_Angeles:20130205T100000',
      ),
      ...vevent(
        '623c13c0-6c2b-45d6-a12b-c33ad61c4868',
        'DTSTART;TZID=America/Los_Angeles:20121002T150000',
        'DTEND;TZID=America/Los_Angeles:20121002T153000',
        'RECURRENCE-ID;TZID=America/Los_Angeles:20121002T100000',
        'LAST-MODIFIED:20120912T171540Z',
        'SEQUENCE:1',
      ),
      ...vevent(
        '623c13c0-6c2b-45d6-a12b-c33ad61c4868',
        'DTSTART;TZID=America/Los_Angeles:20121106T200000',
        'DTEND;TZID=America/Los_Angeles:20121106T203000',
        'RECURRENCE-ID:20121105T180000Z',
        'LAST-MODIFIED:20120912T171820Z',
        'SEQUENCE:1',
      ),
    ],
    from: '2012-10-01',
    to: '2013-01-02',
    expected: [
      '2012-10-02T15:00 (was 2012-10-02T10:00)',
      '2012-11-06T10:00',
      '2012-11-06T20:00 (was 2012-11-05T10:00)',
      '2012-11-10T10:00',
      '2012-11-30T10:00',
      '2013-01-01T10:00',
    ],
    note: 'ical.js lists the recurrence set (original starts); Google shows the moved times of the two exceptions, which are newer than the series. Attendees, alarms and the invalid VTIMEZONE are left out.',
  },
  {
    name: 'recur_instances_finite.ics: #next - finite, until complete',
    source: `${ICALJS}recur_instances_finite.ics`,
    zone: LA,
    lines: vevent(
      '623c13c0-6c2b-45d6-a12b-c33ad61c4868',
      'RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=1TU;UNTIL=20121231T100000',
      ...LA_SERIES,
      'RDATE;TZID=America/Los_Angeles:20121110T100000',
      'RDATE;TZID=America/Los_Angeles:20121105T100000',
    ),
    from: '2012-10-01',
    to: '2013-03-01',
    expected: at('10:00', ['2012-10-02', '2012-11-05', '2012-11-06', '2012-11-10', '2012-12-04']),
  },
  floating(
    `${ICALJS}rdate_exdate.ics`,
    'EXDATE and DTSTART have different value type',
    [
      'DTSTART:20240609T030000Z',
      'RRULE:FREQ=DAILY;INTERVAL=1;COUNT=4',
      'EXDATE;VALUE=DATE:20240611',
    ],
    ['2024-06-01', '2024-07-01'],
    at('03:00', ['2024-06-09', '2024-06-10', '2024-06-12']),
  ),
  floating(
    ICALJS,
    '#_nextRecurrenceIter: multiple rules',
    [
      'DTSTART;VALUE=DATE:20120202',
      'RRULE:FREQ=MONTHLY;BYMONTHDAY=13',
      'RRULE:FREQ=WEEKLY;BYDAY=TH',
    ],
    ['2012-02-01', '2012-02-24'],
    ['2012-02-02', '2012-02-09', '2012-02-13', '2012-02-16', '2012-02-23'],
  ),
];

const GOOGLE_CASES: RecurrenceCase[] = [
  floating(
    'googleapis/google-api-nodejs-client#2214',
    'Recurrent event: redundant instance event when start date points to a day not in the pattern',
    [
      'DTSTART:20200608T130000Z',
      'DTEND:20200608T140000Z',
      'RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU,TH,SA;COUNT=5',
    ],
    ['2020-06-01', '2020-07-01'],
    at('13:00', [
      '2020-06-08',
      '2020-06-09',
      '2020-06-11',
      '2020-06-13',
      '2020-06-16',
      '2020-06-18',
    ]),
  ),
  {
    name: '`DTSTART` is not always the first instance (Google Calendar generates 4 instances)',
    source: 'fmeringdal/rust-rrule#119',
    zone: 'Europe/Berlin',
    lines: vevent(
      'rust-rrule-119',
      'DTSTART;TZID=Europe/Berlin:20240530T200000',
      'RRULE:FREQ=WEEKLY;COUNT=3;INTERVAL=1;BYDAY=WE',
    ),
    from: '2024-05-01',
    to: '2024-07-01',
    expected: at('20:00', ['2024-05-30', '2024-06-05', '2024-06-12', '2024-06-19']),
  },
];

export const SUITE_CASES: RecurrenceCase[] = [
  ...LIBICAL_CASES,
  ...DATEUTIL_CASES,
  ...ICALJS_CASES,
  ...GOOGLE_CASES,
];
