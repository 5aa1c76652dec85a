import { describe, expect, it } from 'vitest';
import type { Intent } from './intent.ts';
import { routeIntent } from './intent-router.ts';
import { berlin, mail, routesAll } from './intent-router.harness.ts';
import type { RouteCase } from './intent-router.harness.ts';
import { parseQuietHours } from './quiet-hours-arg.ts';

const watch = (query: string): Intent => ({ kind: 'watch_create', query });
const list: Intent = { kind: 'watch_list' };
const remove = (target: string): Intent => ({ kind: 'watch_remove', target });

const CASES: RouteCase[] = [
  ['tell me when Alice writes', berlin, 'Berlin', watch('from:alice')],
  [
    'Tell me when alice@northwind.example emails',
    berlin,
    'Berlin',
    watch('from:alice@northwind.example'),
  ],
  [
    'let me know when Alice Smith sends me an email!',
    berlin,
    'Berlin',
    watch('from:"alice smith"'),
  ],
  ['notify me whenever the bank writes', berlin, 'Berlin', watch('from:bank')],
  ['alert me about mail from bob@example.com', berlin, 'Berlin', watch('from:bob@example.com')],
  ['watch for mail from Carol', berlin, 'Berlin', watch('from:carol')],
  ['alert me about mail about the invoice', berlin, 'Berlin', watch('invoice')],
  [
    'tell me about new emails about the quarterly report',
    berlin,
    'Berlin',
    watch('"quarterly report"'),
  ],
  ['what am I watching?', berlin, 'Berlin', list],
  ['show my alerts', berlin, 'Berlin', list],
  ['my watches', berlin, 'Berlin', list],
  ['stop watching alice', berlin, 'Berlin', remove('alice')],
  ['stop telling me when Bob writes', berlin, 'Berlin', remove('bob writes')],
  ['unwatch invoice', berlin, 'Berlin', remove('invoice')],
  ['stop watching the', berlin, 'Berlin', list],
  // Not watches: a search by sender stays a search.
  ['mail from alice', berlin, 'Berlin', mail('from:alice', 'mail from alice')],
];

describe('routeIntent: new-mail alerts', () => {
  routesAll(CASES);

  it('builds a query only from plain words, whatever the sender is called', () => {
    expect(routeIntent('tell me when <alice> OR from:* writes', berlin)).toStrictEqual(
      watch('from:"alice or from"'),
    );
  });

  it('drops a sender of too many words instead of watching a sentence', () => {
    expect(
      routeIntent('tell me when one two three four five six writes', berlin).kind,
    ).toStrictEqual('unknown');
  });
});

describe('parseQuietHours', () => {
  const cases: Array<[string, ReturnType<typeof parseQuietHours>]> = [
    ['22:00-07:00', { kind: 'span', from: '22:00', to: '07:00' }],
    ['7:30 – 9:00', { kind: 'span', from: '07:30', to: '09:00' }],
    ['22.00 to 06.30', { kind: 'span', from: '22:00', to: '06:30' }],
    ['off', { kind: 'off' }],
    ['OFF', { kind: 'off' }],
    ['24:00-07:00', null],
    ['22:60-07:00', null],
    ['22:00-22:00', null],
    ['22-7', null],
    ['tonight', null],
    ['22:00-07:00\u0000', null],
  ];
  for (const [arg, expected] of cases) {
    it(`reads ${JSON.stringify(arg)}`, () => {
      expect(parseQuietHours(arg)).toStrictEqual(expected);
    });
  }
});
