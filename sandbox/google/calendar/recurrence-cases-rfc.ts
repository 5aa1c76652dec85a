/**
 * Every RRULE example of RFC 5545 §3.8.5.3, with the occurrences the RFC lists for it. All
 * of them start at 09:00 in America/New_York; "forever" rules are listed over a window that
 * ends where the RFC's list ends.
 */
import { at, everyDay, monthDays as md, type RecurrenceCase, vevent } from './recurrence-cases.ts';

const SOURCE = 'RFC 5545 §3.8.5.3 (Recurrence Rule), examples';
const NY = 'America/New_York';

/** One RFC example: DTSTART at 09:00 New York on `day` (`YYYYMMDD`), then its lines. */
function example(
  name: string,
  day: string,
  lines: string[],
  window: [string, string],
  dates: string[],
  note?: string,
): RecurrenceCase {
  const uid = `rfc5545-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return {
    name,
    source: SOURCE,
    zone: NY,
    lines: vevent(uid, `DTSTART;TZID=America/New_York:${day}T090000`, ...lines),
    from: window[0],
    to: window[1],
    expected: at('09:00', dates),
    ...(note ? { note } : {}),
  };
}

const JANUARIES = [
  ...everyDay('1998-01-01', '1998-01-31'),
  ...everyDay('1999-01-01', '1999-01-31'),
  ...everyDay('2000-01-01', '2000-01-31'),
];
const TUESDAYS_THURSDAYS = [...md('1997-09', 2, 4, 9, 11, 16, 18, 23, 25, 30), ...md('1997-10', 2)];
const EVERY_20_MINUTES = ['1997-09-02', '1997-09-03'].flatMap((date) =>
  [9, 10, 11, 12, 13, 14, 15, 16].flatMap((hour) =>
    ['00', '20', '40'].map((minute) => `${date}T${String(hour).padStart(2, '0')}:${minute}`),
  ),
);
const HOURS_NOTE =
  'The RFC lists 09:00, 12:00 and 15:00, but its UNTIL of 17:00 UTC is 13:00 EDT and UNTIL ' +
  'is inclusive (§3.3.10), so 15:00 is past it; this case keeps the RFC lines and expects ' +
  'what they say. The next case writes UNTIL as the 5:00 PM EDT the title means.';
const UNTIL_NOTE =
  'The RFC example with UNTIL written as 5:00 PM EDT (21:00 UTC), which gives the list the ' +
  'RFC prints: 09:00, 12:00, 15:00.';

export const RFC_CASES: RecurrenceCase[] = [
  example(
    'Daily for 10 occurrences',
    '19970902',
    ['RRULE:FREQ=DAILY;COUNT=10'],
    ['1997-09-01', '1998-01-01'],
    everyDay('1997-09-02', '1997-09-11'),
  ),
  example(
    'Daily until December 24, 1997',
    '19970902',
    ['RRULE:FREQ=DAILY;UNTIL=19971224T000000Z'],
    ['1997-09-01', '1998-01-01'],
    everyDay('1997-09-02', '1997-12-23'),
  ),
  example(
    'Every other day - forever',
    '19970902',
    ['RRULE:FREQ=DAILY;INTERVAL=2'],
    ['1997-09-01', '1997-12-04'],
    everyDay('1997-09-02', '1997-12-03', 2),
  ),
  example(
    'Every 10 days, 5 occurrences',
    '19970902',
    ['RRULE:FREQ=DAILY;INTERVAL=10;COUNT=5'],
    ['1997-09-01', '1998-01-01'],
    [...md('1997-09', 2, 12, 22), ...md('1997-10', 2, 12)],
  ),
  example(
    'Every day in January, for 3 years (yearly)',
    '19980101',
    ['RRULE:FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA'],
    ['1998-01-01', '2001-01-01'],
    JANUARIES,
  ),
  example(
    'Every day in January, for 3 years (daily)',
    '19980101',
    ['RRULE:FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1'],
    ['1998-01-01', '2001-01-01'],
    JANUARIES,
  ),
  example(
    'Weekly for 10 occurrences',
    '19970902',
    ['RRULE:FREQ=WEEKLY;COUNT=10'],
    ['1997-09-01', '1998-01-01'],
    [...md('1997-09', 2, 9, 16, 23, 30), ...md('1997-10', 7, 14, 21, 28), ...md('1997-11', 4)],
  ),
  example(
    'Weekly until December 24, 1997',
    '19970902',
    ['RRULE:FREQ=WEEKLY;UNTIL=19971224T000000Z'],
    ['1997-09-01', '1998-01-01'],
    [
      ...md('1997-09', 2, 9, 16, 23, 30),
      ...md('1997-10', 7, 14, 21, 28),
      ...md('1997-11', 4, 11, 18, 25),
      ...md('1997-12', 2, 9, 16, 23),
    ],
  ),
  example(
    'Every other week - forever',
    '19970902',
    ['RRULE:FREQ=WEEKLY;INTERVAL=2;WKST=SU'],
    ['1997-09-01', '1998-02-18'],
    [
      ...md('1997-09', 2, 16, 30),
      ...md('1997-10', 14, 28),
      ...md('1997-11', 11, 25),
      ...md('1997-12', 9, 23),
      ...md('1998-01', 6, 20),
      ...md('1998-02', 3, 17),
    ],
  ),
  example(
    'Weekly on Tuesday and Thursday for five weeks (until)',
    '19970902',
    ['RRULE:FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH'],
    ['1997-09-01', '1998-01-01'],
    TUESDAYS_THURSDAYS,
  ),
  example(
    'Weekly on Tuesday and Thursday for five weeks (count)',
    '19970902',
    ['RRULE:FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH'],
    ['1997-09-01', '1998-01-01'],
    TUESDAYS_THURSDAYS,
  ),
  example(
    'Every other week on Monday, Wednesday, and Friday until December 24, 1997',
    '19970901',
    ['RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR'],
    ['1997-09-01', '1998-01-01'],
    [
      ...md('1997-09', 1, 3, 5, 15, 17, 19, 29),
      ...md('1997-10', 1, 3, 13, 15, 17, 27, 29, 31),
      ...md('1997-11', 10, 12, 14, 24, 26, 28),
      ...md('1997-12', 8, 10, 12, 22),
    ],
  ),
  example(
    'Every other week on Tuesday and Thursday, for 8 occurrences',
    '19970902',
    ['RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH'],
    ['1997-09-01', '1998-01-01'],
    [...md('1997-09', 2, 4, 16, 18, 30), ...md('1997-10', 2, 14, 16)],
  ),
  example(
    'Monthly on the first Friday for 10 occurrences',
    '19970905',
    ['RRULE:FREQ=MONTHLY;COUNT=10;BYDAY=1FR'],
    ['1997-09-01', '1999-01-01'],
    [
      ...md('1997-09', 5),
      ...md('1997-10', 3),
      ...md('1997-11', 7),
      ...md('1997-12', 5),
      ...md('1998-01', 2),
      ...md('1998-02', 6),
      ...md('1998-03', 6),
      ...md('1998-04', 3),
      ...md('1998-05', 1),
      ...md('1998-06', 5),
    ],
  ),
  example(
    'Monthly on the first Friday until December 24, 1997',
    '19970905',
    ['RRULE:FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR'],
    ['1997-09-01', '1999-01-01'],
    [...md('1997-09', 5), ...md('1997-10', 3), ...md('1997-11', 7), ...md('1997-12', 5)],
  ),
  example(
    'Every other month on the first and last Sunday of the month for 10 occurrences',
    '19970907',
    ['RRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU'],
    ['1997-09-01', '1999-01-01'],
    [
      ...md('1997-09', 7, 28),
      ...md('1997-11', 2, 30),
      ...md('1998-01', 4, 25),
      ...md('1998-03', 1, 29),
      ...md('1998-05', 3, 31),
    ],
  ),
  example(
    'Monthly on the second-to-last Monday of the month for 6 months',
    '19970922',
    ['RRULE:FREQ=MONTHLY;COUNT=6;BYDAY=-2MO'],
    ['1997-09-01', '1999-01-01'],
    [
      ...md('1997-09', 22),
      ...md('1997-10', 20),
      ...md('1997-11', 17),
      ...md('1997-12', 22),
      ...md('1998-01', 19),
      ...md('1998-02', 16),
    ],
  ),
  example(
    'Monthly on the third-to-the-last day of the month, forever',
    '19970928',
    ['RRULE:FREQ=MONTHLY;BYMONTHDAY=-3'],
    ['1997-09-01', '1998-03-01'],
    [
      ...md('1997-09', 28),
      ...md('1997-10', 29),
      ...md('1997-11', 28),
      ...md('1997-12', 29),
      ...md('1998-01', 29),
      ...md('1998-02', 26),
    ],
  ),
  example(
    'Monthly on the 2nd and 15th of the month for 10 occurrences',
    '19970902',
    ['RRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15'],
    ['1997-09-01', '1999-01-01'],
    [
      ...md('1997-09', 2, 15),
      ...md('1997-10', 2, 15),
      ...md('1997-11', 2, 15),
      ...md('1997-12', 2, 15),
      ...md('1998-01', 2, 15),
    ],
  ),
  example(
    'Monthly on the first and last day of the month for 10 occurrences',
    '19970930',
    ['RRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1'],
    ['1997-09-01', '1999-01-01'],
    [
      ...md('1997-09', 30),
      ...md('1997-10', 1, 31),
      ...md('1997-11', 1, 30),
      ...md('1997-12', 1, 31),
      ...md('1998-01', 1, 31),
      ...md('1998-02', 1),
    ],
  ),
  example(
    'Every 18 months on the 10th thru 15th of the month for 10 occurrences',
    '19970910',
    ['RRULE:FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15'],
    ['1997-09-01', '2000-01-01'],
    [...md('1997-09', 10, 11, 12, 13, 14, 15), ...md('1999-03', 10, 11, 12, 13)],
  ),
  example(
    'Every Tuesday, every other month',
    '19970902',
    ['RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=TU'],
    ['1997-09-01', '1998-04-01'],
    [
      ...md('1997-09', 2, 9, 16, 23, 30),
      ...md('1997-11', 4, 11, 18, 25),
      ...md('1998-01', 6, 13, 20, 27),
      ...md('1998-03', 3, 10, 17, 24, 31),
    ],
  ),
  example(
    'Yearly in June and July for 10 occurrences',
    '19970610',
    ['RRULE:FREQ=YEARLY;COUNT=10;BYMONTH=6,7'],
    ['1997-06-01', '2003-01-01'],
    ['1997', '1998', '1999', '2000', '2001'].flatMap((y) => [`${y}-06-10`, `${y}-07-10`]),
  ),
  example(
    'Every other year on January, February, and March for 10 occurrences',
    '19970310',
    ['RRULE:FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3'],
    ['1997-03-01', '2005-01-01'],
    [
      '1997-03-10',
      ...['1999', '2001', '2003'].flatMap((y) => [`${y}-01-10`, `${y}-02-10`, `${y}-03-10`]),
    ],
  ),
  example(
    'Every third year on the 1st, 100th, and 200th day for 10 occurrences',
    '19970101',
    ['RRULE:FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200'],
    ['1997-01-01', '2008-01-01'],
    [
      '1997-01-01',
      '1997-04-10',
      '1997-07-19',
      '2000-01-01',
      '2000-04-09',
      '2000-07-18',
      '2003-01-01',
      '2003-04-10',
      '2003-07-19',
      '2006-01-01',
    ],
  ),
  example(
    'Every 20th Monday of the year, forever',
    '19970519',
    ['RRULE:FREQ=YEARLY;BYDAY=20MO'],
    ['1997-05-01', '2000-01-01'],
    ['1997-05-19', '1998-05-18', '1999-05-17'],
  ),
  example(
    'Monday of week number 20 (where the default start of the week is Monday), forever',
    '19970512',
    ['RRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO'],
    ['1997-05-01', '2000-01-01'],
    ['1997-05-12', '1998-05-11', '1999-05-17'],
  ),
  example(
    'Every Thursday in March, forever',
    '19970313',
    ['RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=TH'],
    ['1997-03-01', '2000-01-01'],
    [
      ...md('1997-03', 13, 20, 27),
      ...md('1998-03', 5, 12, 19, 26),
      ...md('1999-03', 4, 11, 18, 25),
    ],
  ),
  example(
    'Every Thursday, but only during June, July, and August, forever',
    '19970605',
    ['RRULE:FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8'],
    ['1997-06-01', '2000-01-01'],
    [
      ...md('1997-06', 5, 12, 19, 26),
      ...md('1997-07', 3, 10, 17, 24, 31),
      ...md('1997-08', 7, 14, 21, 28),
      ...md('1998-06', 4, 11, 18, 25),
      ...md('1998-07', 2, 9, 16, 23, 30),
      ...md('1998-08', 6, 13, 20, 27),
      ...md('1999-06', 3, 10, 17, 24),
      ...md('1999-07', 1, 8, 15, 22, 29),
      ...md('1999-08', 5, 12, 19, 26),
    ],
  ),
  example(
    'Every Friday the 13th, forever',
    '19970902',
    ['EXDATE;TZID=America/New_York:19970902T090000', 'RRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13'],
    ['1997-09-01', '2001-01-01'],
    ['1998-02-13', '1998-03-13', '1998-11-13', '1999-08-13', '2000-10-13'],
  ),
  example(
    'The first Saturday that follows the first Sunday of the month, forever',
    '19970913',
    ['RRULE:FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13'],
    ['1997-09-01', '1998-07-01'],
    [
      ...md('1997-09', 13),
      ...md('1997-10', 11),
      ...md('1997-11', 8),
      ...md('1997-12', 13),
      ...md('1998-01', 10),
      ...md('1998-02', 7),
      ...md('1998-03', 7),
      ...md('1998-04', 11),
      ...md('1998-05', 9),
      ...md('1998-06', 13),
    ],
  ),
  example(
    'Every 4 years, the first Tuesday after a Monday in November, forever (U.S. Presidential Election day)',
    '19961105',
    ['RRULE:FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8'],
    ['1996-11-01', '2005-01-01'],
    ['1996-11-05', '2000-11-07', '2004-11-02'],
  ),
  example(
    'The third instance into the month of one of Tuesday, Wednesday, or Thursday, for the next 3 months',
    '19970904',
    ['RRULE:FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3'],
    ['1997-09-01', '1998-01-01'],
    ['1997-09-04', '1997-10-07', '1997-11-06'],
  ),
  example(
    'The second-to-last weekday of the month',
    '19970929',
    ['RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2'],
    ['1997-09-01', '1998-04-01'],
    [
      ...md('1997-09', 29),
      ...md('1997-10', 30),
      ...md('1997-11', 27),
      ...md('1997-12', 30),
      ...md('1998-01', 29),
      ...md('1998-02', 26),
      ...md('1998-03', 30),
    ],
  ),
  {
    ...example(
      'Every 3 hours from 9:00 AM to 5:00 PM on a specific day',
      '19970902',
      ['RRULE:FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z'],
      ['1997-09-02', '1997-09-03'],
      [],
      HOURS_NOTE,
    ),
    expected: ['1997-09-02T09:00', '1997-09-02T12:00'],
  },
  {
    ...example(
      'Every 3 hours from 9:00 AM to 5:00 PM on a specific day (UNTIL 5:00 PM EDT)',
      '19970902',
      ['RRULE:FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z'],
      ['1997-09-02', '1997-09-03'],
      [],
      UNTIL_NOTE,
    ),
    expected: ['1997-09-02T09:00', '1997-09-02T12:00', '1997-09-02T15:00'],
  },
  {
    ...example(
      'Every 15 minutes for 6 occurrences',
      '19970902',
      ['RRULE:FREQ=MINUTELY;INTERVAL=15;COUNT=6'],
      ['1997-09-02', '1997-09-03'],
      [],
    ),
    expected: ['09:00', '09:15', '09:30', '09:45', '10:00', '10:15'].map((t) => `1997-09-02T${t}`),
  },
  {
    ...example(
      'Every hour and a half for 4 occurrences',
      '19970902',
      ['RRULE:FREQ=MINUTELY;INTERVAL=90;COUNT=4'],
      ['1997-09-02', '1997-09-03'],
      [],
    ),
    expected: ['1997-09-02T09:00', '1997-09-02T10:30', '1997-09-02T12:00', '1997-09-02T13:30'],
  },
  {
    ...example(
      'Every 20 minutes from 9:00 AM to 4:40 PM every day (daily)',
      '19970902',
      ['RRULE:FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40'],
      ['1997-09-02', '1997-09-04'],
      [],
    ),
    expected: EVERY_20_MINUTES,
  },
  {
    ...example(
      'Every 20 minutes from 9:00 AM to 4:40 PM every day (minutely)',
      '19970902',
      ['RRULE:FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16'],
      ['1997-09-02', '1997-09-04'],
      [],
    ),
    expected: EVERY_20_MINUTES,
  },
  example(
    'An example where the days generated makes a difference because of WKST (WKST=MO)',
    '19970805',
    ['RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO'],
    ['1997-08-01', '1998-01-01'],
    md('1997-08', 5, 10, 19, 24),
  ),
  example(
    'An example where the days generated makes a difference because of WKST (WKST=SU)',
    '19970805',
    ['RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU'],
    ['1997-08-01', '1998-01-01'],
    md('1997-08', 5, 17, 19, 31),
  ),
  example(
    'An example where an invalid date (i.e., February 30) is ignored',
    '20070115',
    ['RRULE:FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5'],
    ['2007-01-01', '2008-01-01'],
    [...md('2007-01', 15, 30), ...md('2007-02', 15), ...md('2007-03', 15, 30)],
  ),
];
