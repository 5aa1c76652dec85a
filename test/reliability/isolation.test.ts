/**
 * Isolation between users. Four people, each with their own Google accounts in the
 * sandbox (one with two), their own API keys and Telegram chats; then random requests by
 * random people with random keys across `/v1`, `/v1/tools`, `/mcp` and the chat, naming
 * connection ids, addresses, message, thread and event ids and markers of everyone. No
 * answer may hold anything of another person's (their mail, events, addresses or
 * connection ids) that the request did not itself contain. Fixed seed, fixed count.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { type Markers, ownTokens, seedMarkedAccounts } from './hostile-accounts.harness.ts';
import { type HostileStack, type RawRequest, startHostileStack } from './hostile-stack.harness.ts';
import { reportFigures } from './report.harness.ts';

const SEED = 21;
const HTTP_CASES = 900;
const CHAT_CASES = 40;
const FRESH = ['pat.iso@example.com', 'kim.iso@example.com', 'robin.iso@example.com'];
const ACCOUNTS = [
  ['alex@example.com', 'pat.iso@example.com'],
  ['sam@example.com'],
  ['kim.iso@example.com'],
  ['robin.iso@example.com'],
];

let h: HostileStack;
let markers: Markers;
/** Per person: what is theirs, and what is someone else's (and not also theirs). */
let own: Set<string>[] = [];
let foreign: Set<string>[] = [];

/** Ids and names of anyone, so people ask for what is not theirs as often as for their own. */
function everything(): string[] {
  return [...new Set(own.flatMap((set) => [...set]))];
}

const CAPABILITIES = [
  'gmail.search',
  'gmail.read',
  'gmail.unread',
  'calendar.agenda',
  'calendar.next',
  'calendar.freebusy',
  'actions.extract',
] as const;

/**
 * A request by a random person with one of their keys. What it names (a connection, a
 * message, a search) is theirs half the time, and anyone's the other half.
 */
function requestFor(everyone: string[]) {
  return fc.nat(ACCOUNTS.length - 1).chain((person) => {
    const mine = [...(own[person] ?? [])];
    const any = fc.oneof(fc.constantFrom(...mine), fc.constantFrom(...everyone));
    const connections = (h.people[person]?.accounts ?? []).flatMap((a) => [
      a.connectionId,
      a.email,
    ]);
    const selector = fc.option(fc.oneof(fc.constantFrom(...connections), any), {
      nil: undefined,
    });
    const withConnection = (path: string, connection: string | undefined, query = '') => {
      const params = [
        query,
        connection === undefined ? '' : `connection=${encodeURIComponent(connection)}`,
      ]
        .filter((p) => p !== '')
        .join('&');
      return params === '' ? path : `${path}?${params}`;
    };
    const week = `from=${encodeURIComponent(new Date(Date.now() - 7 * 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 14 * 86_400_000).toISOString())}`;
    const rest = fc.oneof(
      fc
        .tuple(any, selector)
        .map(([q, c]) => withConnection('/v1/gmail/messages', c, `q=${encodeURIComponent(q)}`)),
      fc
        .tuple(any, selector)
        .map(([q, c]) =>
          withConnection('/v1/gmail/messages', c, `q=${encodeURIComponent(`from:${q}`)}`),
        ),
      selector.map((c) => withConnection('/v1/gmail/messages', c, 'pageSize=5')),
      fc
        .tuple(any, selector)
        .map(([id, c]) => withConnection(`/v1/gmail/messages/${encodeURIComponent(id)}`, c)),
      fc
        .tuple(any, selector)
        .map(([id, c]) => withConnection(`/v1/gmail/threads/${encodeURIComponent(id)}`, c)),
      selector.map((c) => withConnection('/v1/gmail/unread', c)),
      selector.map((c) => withConnection('/v1/calendar/agenda', c, week)),
      selector.map((c) => withConnection('/v1/calendar/next', c)),
      selector.map((c) => withConnection('/v1/calendar/freebusy', c, week)),
      selector.map((c) => withConnection('/v1/actions', c, 'days=30')),
      fc.constant('/v1/connections'),
    );
    const toolArgs = fc.record(
      {
        query: any,
        messageId: any,
        threadId: any,
        connection: fc.oneof(fc.constantFrom(...connections), any),
        from: fc.constant(new Date(Date.now() - 86_400_000).toISOString()),
        to: fc.constant(new Date(Date.now() + 7 * 86_400_000).toISOString()),
      },
      { requiredKeys: [] },
    );
    return fc.record({
      person: fc.constant(person),
      key: fc.nat(9),
      kind: fc.constantFrom('rest', 'rest', 'rest', 'tools', 'mcp', 'link'),
      path: rest,
      capability: fc.constantFrom(...CAPABILITIES),
      args: toolArgs,
      selector,
    });
  });
}

type Case = ReturnType<typeof requestFor> extends fc.Arbitrary<infer T> ? T : never;

function asRequest(c: Case, key: string): RawRequest {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  switch (c.kind) {
    case 'rest':
      return { method: 'GET', path: c.path, headers: { authorization: headers.authorization } };
    case 'tools': {
      const { connection, ...args } = c.args;
      const query = connection === undefined ? '' : `?connection=${encodeURIComponent(connection)}`;
      return {
        method: 'POST',
        path: `/v1/tools/${c.capability}${query}`,
        headers,
        body: JSON.stringify(args),
      };
    }
    case 'mcp':
      return {
        method: 'POST',
        path: '/mcp',
        headers: { ...headers, accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: c.capability.replace('.', '_'), arguments: c.args },
        }),
      };
    default:
      return {
        method: 'POST',
        path: '/v1/connect-links',
        headers,
        body: JSON.stringify(c.selector === undefined ? {} : { connection: c.selector }),
      };
  }
}

const CHAT = ['/inbox', '/accounts', '/today', '/unread', '/next', '/actions', '/week'];

for (const database of DATABASES) {
  describe(`isolation between users on ${database.name}`, () => {
    beforeAll(async () => {
      h = await startHostileStack(database, ACCOUNTS, async (stack) => {
        markers = await seedMarkedAccounts(stack, FRESH);
      });
      own = [];
      for (const person of h.people) own.push(await ownTokens(h, person, markers));
      foreign = own.map((mine, p) => {
        const others = new Set<string>();
        for (const [q, theirs] of own.entries()) if (q !== p) for (const t of theirs) others.add(t);
        for (const t of mine) others.delete(t);
        return others;
      });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('never answers anyone with what belongs to someone else', async () => {
      const everyone = everything();
      const cases = fc.sample(requestFor(everyone), { seed: SEED, numRuns: HTTP_CASES });
      const crossReads: string[] = [];
      const answers: Record<string, number> = {};
      const byDoor: Record<string, number> = {};
      let withOwnData = 0;
      let askedForeign = 0;
      for (const [index, c] of cases.entries()) {
        const person = h.people[c.person];
        if (!person) continue;
        const request = asRequest(c, person.keys[c.key] ?? '');
        const sent = `${request.path} ${request.body ?? ''}`;
        const theirs = [...(foreign[c.person] ?? [])];
        if (theirs.some((t) => sent.includes(t))) askedForeign += 1;
        const answer = await h.send(request);
        byDoor[c.kind] = (byDoor[c.kind] ?? 0) + 1;
        answers[String(answer.status)] = (answers[String(answer.status)] ?? 0) + 1;
        const leaked = theirs.filter((t) => answer.body.includes(t) && !sent.includes(t));
        if ([...(own[c.person] ?? [])].some((t) => answer.body.includes(t) && !sent.includes(t)))
          withOwnData += 1;
        if (leaked.length > 0) {
          crossReads.push(
            `case ${index} (seed ${SEED}): person ${c.person} ${request.method} ${request.path} ${request.body ?? ''} → ${leaked.join(', ')}`,
          );
        }
      }

      // The chat: each person asks for their mail, calendar and accounts, and for others' by name.
      const chat = h.stack.chat;
      if (!chat) throw new Error('no Telegram sandbox');
      const messages = fc.sample(
        fc.tuple(
          fc.nat(ACCOUNTS.length - 1),
          fc.oneof(
            fc.constantFrom(...CHAT),
            fc.constantFrom(...everyone).map((t) => `mail from ${t}`),
          ),
        ),
        { seed: SEED + 1, numRuns: CHAT_CASES },
      );
      for (const [index, [p, message]] of messages.entries()) {
        const person = h.people[p];
        if (!person) continue;
        const before = (await chat.inbox(person.telegramId)).length;
        await chat.write(person.telegramId, message, 'Alex');
        await chat.inbox(person.telegramId, { count: before + 1, timeoutMs: 30_000 });
        await h.stack.app.telegram?.idle();
        const replies = (await chat.inbox(person.telegramId)).slice(before);
        byDoor.chat = (byDoor.chat ?? 0) + 1;
        const shown = replies
          .map((r) => `${r.text} ${JSON.stringify(r.reply_markup ?? {})}`)
          .join('\n');
        const leaked = [...(foreign[p] ?? [])].filter(
          (t) => shown.includes(t) && !message.includes(t),
        );
        if ([...(own[p] ?? [])].some((t) => shown.includes(t))) withOwnData += 1;
        if (leaked.length > 0)
          crossReads.push(
            `chat ${index} (seed ${SEED + 1}): person ${p} "${message}" → ${leaked.join(', ')}`,
          );
      }

      reportFigures(database.name === 'pglite' ? 'isolation' : `isolation-${database.name}`, {
        people: h.people.length,
        accounts: ACCOUNTS.flat().length,
        'api keys': h.people.reduce((n, p) => n + p.keys.length, 0),
        'private items': own.reduce((n, set) => n + set.size, 0),
        requests: HTTP_CASES + CHAT_CASES,
        'requests by front door': byDoor,
        'requests naming items of others': askedForeign,
        'answers with own data': withOwnData,
        'answers by status': answers,
        'cross-user reads': crossReads.length,
      });
      expect({
        crossReads: crossReads.slice(0, 20),
        ownDataSeen: withOwnData > HTTP_CASES / 10,
      }).toStrictEqual({
        crossReads: [],
        ownDataSeen: true,
      });
    });
  });
}
