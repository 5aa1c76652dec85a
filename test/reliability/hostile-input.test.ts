/**
 * Hostile input never breaks Tidings. Property-based fuzzing, with fixed seeds and a fixed
 * number of cases per surface, of everything a stranger can reach: the OAuth routes, the
 * runtime API `/v1`, `/mcp`, the Telegram webhook (right and wrong secrets), the admin
 * socket, and the intent router (directly, and as chat through the Telegram sandbox).
 *
 * What must hold: no 5xx, no crash (the server answers `/healthz` afterwards, no unhandled
 * rejection, no unexpected error in the log or the chat), and no planted secret — master
 * key, client secret, bot token, webhook and metrics secrets, API keys, the Google tokens
 * of the connected accounts — in any answer, chat message or log line. A failure names
 * the surface, the seed and the case number: `fc.sample(arbitrary, {seed, numRuns})`
 * gives the same cases again.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeIntent } from '../../src/intent/index.ts';
import { UNEXPECTED_SENTENCE } from '../../src/telegram/render/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { startConnect } from '../support/stack.harness.ts';
import { adminLine, mcpRequest, oauthRequest, v1Request } from './hostile-cases.harness.ts';
import { chatText, webhookRequest } from './hostile-telegram.harness.ts';
import { queryString, text, urlText } from './hostile-text.harness.ts';
import {
  type HostileStack,
  type RawRequest,
  startHostileStack,
  WEBHOOK_SECRET,
} from './hostile-stack.harness.ts';
import { reportFigures } from './report.harness.ts';

const SEEDS = { oauth: 11, v1: 12, mcp: 13, webhook: 14, admin: 15, router: 16, chat: 17 };
const COUNTS = { oauth: 400, v1: 1200, mcp: 400, webhook: 600, admin: 300, router: 2000, chat: 60 };
/** Connect journeys begun for real (a ticket, its page, its form), then ended with made-up answers. */
const JOURNEYS = 60;
type Surface = keyof typeof SEEDS;

interface Tally {
  cases: number;
  answers: Record<string, number>;
  serverErrors: number;
  crashes: number;
  secretsFound: number;
}

const tallies = Object.fromEntries(
  Object.keys(SEEDS).map((s) => [
    s,
    { cases: 0, answers: {}, serverErrors: 0, crashes: 0, secretsFound: 0 } as Tally,
  ]),
) as Record<Surface, Tally>;
const failures: string[] = [];
const unhandled: string[] = [];
const onUnhandled = (error: unknown) => unhandled.push(String(error));

function shown(request: RawRequest): string {
  const body =
    request.body === undefined ? '' : ` body ${JSON.stringify(String(request.body).slice(0, 300))}`;
  return `${request.method} ${request.path.slice(0, 300)} headers ${JSON.stringify(request.headers)}${body}`;
}

function fail(surface: Surface, index: number, what: string, seed = SEEDS[surface]): void {
  failures.push(`${surface} (seed ${seed}, case ${index}): ${what}`);
}

let h: HostileStack;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  const database = DATABASES[0];
  if (!database) throw new Error('no database');
  // PGlite: the embedded database is the one with an admin socket.
  h = await startHostileStack(database, [
    ['alex@example.com'],
    ['sam@example.com'],
    ['alex@example.com'],
    ['sam@example.com'],
  ]);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
  await h?.close();
});

async function fuzzHttp(
  surface: Surface,
  cases: RawRequest[],
  seed = SEEDS[surface],
): Promise<void> {
  const tally = tallies[surface];
  for (const [index, request] of cases.entries()) {
    tally.cases += 1;
    let answer: Awaited<ReturnType<HostileStack['send']>>;
    try {
      answer = await h.send(request);
    } catch (error) {
      tally.crashes += 1;
      fail(surface, index, `no answer (${(error as Error).message}) to ${shown(request)}`, seed);
      continue;
    }
    const kind = `${Math.floor(answer.status / 100)}xx`;
    tally.answers[kind] = (tally.answers[kind] ?? 0) + 1;
    if (answer.status >= 500) {
      tally.serverErrors += 1;
      fail(
        surface,
        index,
        `${answer.status} ${answer.body.slice(0, 300)} to ${shown(request)}`,
        seed,
      );
    }
    const leaked = h.leaks(`${JSON.stringify(answer.headers)}\n${answer.body}`);
    if (leaked.length > 0) {
      tally.secretsFound += leaked.length;
      fail(surface, index, `answer holds ${leaked.join(', ')} for ${shown(request)}`, seed);
    }
  }
}

const failuresOf = (surface: Surface) => failures.filter((f) => f.startsWith(`${surface} `));

describe('hostile input', () => {
  it('never fails on the OAuth routes', async () => {
    await fuzzHttp('oauth', fc.sample(oauthRequest, { seed: SEEDS.oauth, numRuns: COUNTS.oauth }));
    // Real journeys: a real ticket's page and form, then a callback with this browser's
    // state and cookie (or not) and a made-up code, error and extra parameters.
    const endings = fc.sample(
      fc.record({
        state: fc.boolean(),
        cookie: fc.oneof(fc.constant('real'), fc.constant('none'), fc.constant('tampered')),
        code: urlText,
        error: fc.option(urlText, { nil: undefined }),
        extra: queryString(['scope', 'iss', 'state', 'code', 'authuser']),
      }),
      { seed: SEEDS.oauth + 100, numRuns: JOURNEYS },
    );
    const person = h.people[0];
    if (!person) throw new Error('no person');
    const journeys: RawRequest[] = [];
    for (const ending of endings) {
      const link = await h.stack.app.parts.frontDoor.connectLink(person.userId);
      const started = await startConnect(link.url);
      const state = started.authorizeUrl
        ? new URL(started.authorizeUrl).searchParams.get('state')
        : null;
      const cookie =
        ending.cookie === 'real'
          ? (started.cookie ?? '')
          : ending.cookie === 'tampered'
            ? `${started.cookie ?? 'x=y'}x`
            : '';
      const query = [
        `state=${ending.state && state ? encodeURIComponent(state) : ending.code}`,
        `code=${ending.code}`,
        ...(ending.error === undefined ? [] : [`error=${ending.error}`]),
      ].join('&');
      const extra = ending.extra === '' ? '' : `&${ending.extra.slice(1)}`;
      journeys.push({
        method: 'GET',
        path: `/oauth/google/callback?${query}${extra}`,
        headers: cookie === '' ? {} : { cookie },
      });
    }
    await fuzzHttp('oauth', journeys, SEEDS.oauth + 100);
    expect(failuresOf('oauth')).toStrictEqual([]);
  });

  it('never fails on /v1', async () => {
    const keys = h.people.flatMap((p) => p.keys);
    await fuzzHttp('v1', fc.sample(v1Request(keys), { seed: SEEDS.v1, numRuns: COUNTS.v1 }));
    expect(failuresOf('v1')).toStrictEqual([]);
  });

  it('never fails on /mcp', async () => {
    const keys = h.people.flatMap((p) => p.keys);
    await fuzzHttp('mcp', fc.sample(mcpRequest(keys), { seed: SEEDS.mcp, numRuns: COUNTS.mcp }));
    expect(failuresOf('mcp')).toStrictEqual([]);
  });

  it('never fails in the intent router', () => {
    const contexts = fc.record({
      now: fc.date({
        min: new Date('1971-01-01'),
        max: new Date('2099-12-31'),
        noInvalidDate: true,
      }),
      timeZone: fc.constantFrom(
        'UTC',
        'Europe/Berlin',
        'America/New_York',
        'Asia/Kathmandu',
        'Pacific/Kiritimati',
        'Australia/Lord_Howe',
        'America/St_Johns',
        'Mars/Olympus',
        '',
      ),
      locale: fc.constantFrom('en-GB', 'en-US', 'de-DE', 'fr-CA', 'xx', ''),
      weekStartsOn: fc.constantFrom(1 as const, 7 as const),
    });
    const cases = fc.sample(fc.tuple(fc.oneof(chatText, text), contexts), {
      seed: SEEDS.router,
      numRuns: COUNTS.router,
    });
    const tally = tallies.router;
    for (const [index, [message, context]] of cases.entries()) {
      tally.cases += 1;
      try {
        const intent = routeIntent(message, context);
        const dates = Object.entries(intent).filter(([k]) => ['from', 'to', 'at'].includes(k));
        const broken = dates.filter(
          ([, v]) => typeof v !== 'string' || Number.isNaN(Date.parse(v)),
        );
        tally.answers[intent.kind] = (tally.answers[intent.kind] ?? 0) + 1;
        if (broken.length > 0) {
          tally.crashes += 1;
          fail('router', index, `${JSON.stringify(message)} gave ${JSON.stringify(intent)}`);
        }
      } catch (error) {
        tally.crashes += 1;
        fail('router', index, `${JSON.stringify(message)} threw ${(error as Error).message}`);
      }
    }
    expect(failuresOf('router')).toStrictEqual([]);
  });

  it('never fails in the chat', async () => {
    const chat = h.stack.chat;
    if (!chat) throw new Error('no Telegram sandbox');
    const messages = fc.sample(chatText, { seed: SEEDS.chat, numRuns: COUNTS.chat });
    const tally = tallies.chat;
    for (const [index, message] of messages.entries()) {
      // A quarter each, so no one reaches the limit of 20 messages a minute.
      const person = h.people[index % h.people.length];
      if (!person) continue;
      tally.cases += 1;
      const before = (await chat.inbox(person.telegramId)).length;
      await chat.write(person.telegramId, message, 'Alex');
      const inbox = await chat.inbox(person.telegramId, { count: before + 1, timeoutMs: 30_000 });
      await h.stack.app.telegram?.idle();
      const replies = (await chat.inbox(person.telegramId)).slice(before);
      tally.answers[replies.length > 0 ? 'answered' : 'silent'] =
        (tally.answers[replies.length > 0 ? 'answered' : 'silent'] ?? 0) + 1;
      if (inbox.length <= before) fail('chat', index, `no answer to ${JSON.stringify(message)}`);
      for (const reply of replies) {
        if (reply.text.includes(UNEXPECTED_SENTENCE)) {
          tally.crashes += 1;
          fail('chat', index, `${JSON.stringify(message)} was answered "${reply.text}"`);
        }
        const leaked = h.leaks(`${reply.text}\n${JSON.stringify(reply.reply_markup ?? {})}`);
        if (leaked.length > 0) {
          tally.secretsFound += leaked.length;
          fail('chat', index, `the reply holds ${leaked.join(', ')}`);
        }
      }
    }
    expect(failuresOf('chat')).toStrictEqual([]);
  });

  it('never fails on the Telegram webhook', async () => {
    await fuzzHttp(
      'webhook',
      fc.sample(webhookRequest(WEBHOOK_SECRET), { seed: SEEDS.webhook, numRuns: COUNTS.webhook }),
    );
    await h.stack.app.telegram?.idle();
    expect(failuresOf('webhook')).toStrictEqual([]);
  });

  it('never fails on the admin socket', async () => {
    const lines = fc.sample(adminLine, { seed: SEEDS.admin, numRuns: COUNTS.admin });
    const tally = tallies.admin;
    for (const [index, line] of lines.entries()) {
      tally.cases += 1;
      let answer: string;
      try {
        answer = await h.admin(line);
      } catch (error) {
        tally.crashes += 1;
        fail(
          'admin',
          index,
          `no answer (${(error as Error).message}) to ${JSON.stringify(line.slice(0, 300))}`,
        );
        continue;
      }
      let kind = 'closed';
      if (answer !== '') {
        try {
          kind = (JSON.parse(answer) as { ok: boolean }).ok ? 'ok' : 'refused';
        } catch {
          kind = 'unreadable';
          fail('admin', index, `unreadable answer ${JSON.stringify(answer.slice(0, 200))}`);
        }
      }
      tally.answers[kind] = (tally.answers[kind] ?? 0) + 1;
      const leaked = h.leaks(answer);
      if (leaked.length > 0) {
        tally.secretsFound += leaked.length;
        fail('admin', index, `the answer holds ${leaked.join(', ')}`);
      }
    }
    expect([
      failuresOf('admin'),
      JSON.parse(await h.admin('{"command":"users.list","args":[]}\n')).ok,
    ]).toStrictEqual([[], true]);
  });

  it('still answers afterwards, with no secret and no unexpected error in its log', async () => {
    const health = await h.send({ method: 'GET', path: '/healthz' });
    const leakedLines = h.stack.logs.filter((line) => h.leaks(line).length > 0);
    // Telegram refusing to deliver to a chat that does not exist is Telegram's answer, not a
    // crash; any other error logged is.
    const errors = h.stack.logs.filter((line) => {
      const entry = JSON.parse(line) as { level: number; err?: { type?: string } };
      return entry.level >= 50 && entry.err?.type !== 'GrammyError';
    });
    const warned: Record<string, number> = {};
    for (const line of h.stack.logs) {
      const entry = JSON.parse(line) as { level: number; msg?: string; err?: { type?: string } };
      if (entry.level < 40) continue;
      const name = `${entry.msg ?? '?'}${entry.err?.type ? ` (${entry.err.type})` : ''}`;
      warned[name] = (warned[name] ?? 0) + 1;
    }
    const figures = {
      ...Object.fromEntries(Object.entries(tallies).map(([s, t]) => [`${s} cases`, t.cases])),
      cases: Object.values(tallies).reduce((sum, t) => sum + t.cases, 0),
      'http 5xx': Object.values(tallies).reduce((sum, t) => sum + t.serverErrors, 0),
      crashes:
        Object.values(tallies).reduce((sum, t) => sum + t.crashes, 0) +
        errors.length +
        unhandled.length,
      'unhandled rejections': unhandled.length,
      'errors logged': errors.length,
      'secrets found':
        Object.values(tallies).reduce((sum, t) => sum + t.secretsFound, 0) + leakedLines.length,
      'secrets planted': h.secrets().size,
      'log lines checked': h.stack.logs.length,
      'warnings and errors logged': warned,
      ...Object.fromEntries(Object.entries(tallies).map(([s, t]) => [`${s} answers`, t.answers])),
    };
    reportFigures('hostile-input', figures);
    expect({
      health: [health.status, health.body],
      leakedLines: leakedLines.map((l) => l.slice(0, 300)),
      errors: errors.map((l) => l.slice(0, 500)),
      unhandled,
      failures: failures.slice(0, 20),
    }).toStrictEqual({
      health: [200, '{"status":"ok"}'],
      leakedLines: [],
      errors: [],
      unhandled: [],
      failures: [],
    });
  });
});
