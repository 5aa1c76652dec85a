/**
 * The bot under load, through its webhook: the whole app (in-memory PGlite, webhook mode)
 * against the Google and Telegram sandboxes, with users connected through the real OAuth
 * journey and each linked to a Telegram chat.
 *
 * - `bot.today_p50_ms`, `bot.today_p99_ms`: from posting a `/today` update to the webhook
 *   until the Telegram sandbox holds the reply (`sendMessage`), one update in flight; the
 *   reply is awaited with the sandbox's long-poll (`inbox?wait=`), never with sleeps.
 *   Baseline: the same one-day agenda through `GET /v1/calendar/agenda` with an API key
 *   (what the capability costs without the bot), in the same run.
 * - `bot.updates_per_second`: many chats at once, each posting several one-day agenda
 *   commands in a row (`/today`, then `/agenda <date>` for the following days, so every
 *   reply names its day) the way Telegram delivers them: the next after the previous one's
 *   200. Replies answered per second; every chat's replies must come in the order sent, or
 *   the run fails. Baseline: as many `/v1/calendar/agenda` requests at the same concurrency.
 */
import { PGLITE, silentLogger } from './bench-stack.ts';
import { randomBytes } from 'node:crypto';
import { createApiKeyStore } from '../src/api-keys/index.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../test/support/stack.harness.ts';
import { percentile, underLoad } from './measure.ts';
import { type Figures, versus } from './report.ts';

const SECRET = 'tidings-bench-webhook-secret_0123456789';
const EMAIL = 'alex@example.com';
const FIRST_CHAT = 880_000_001;

interface Sizes {
  users: number;
  warmUp: number;
  samples: number;
  chats: number;
  perChat: number;
}

const FULL: Sizes = { users: 50, warmUp: 30, samples: 150, chats: 50, perChat: 6 };
const QUICK: Sizes = { users: 2, warmUp: 2, samples: 10, chats: 2, perChat: 3 };

interface Linked {
  chatId: number;
  userId: string;
  /** Bot messages in the chat so far (what the next long-poll waits beyond). */
  received: number;
}

/** YYYY-MM-DD of `days` after today in the seed user's zone (New York). */
function dayInNewYork(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(date);
}

export async function botFigures(options: { quick: boolean }): Promise<Figures> {
  const sizes = options.quick ? QUICK : FULL;
  const stack: Stack = await startStack(PGLITE, {
    telegram: true,
    env: { LOG_LEVEL: 'silent', TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET },
    start: { logger: silentLogger(), jobs: false },
  });
  try {
    return await measure(stack, sizes);
  } finally {
    await stack.close();
  }
}

async function measure(stack: Stack, sizes: Sizes): Promise<Figures> {
  const chat = stack.chat!;
  const { frontDoor } = stack.app.parts;
  await chat.settings({ floodLimitPerChat: 0, floodLimitGlobal: 0 });
  await stack.control('/settings', {
    method: 'PUT',
    body: { gmailQuotaUnitsPerMinute: 1_000_000, calendarRequestsPerMinute: 1_000_000 },
  });
  const apiKeys = createApiKeyStore(stack.handle.db, () => new Date());
  const webhook = `${stack.app.url}/telegram/webhook`;
  let nextUpdateId = 1_000_000 + randomBytes(2).readUInt16BE();

  // Users, each connected to the seed mailbox and calendar and linked to a chat of its own.
  const linked: Linked[] = [];
  for (let i = 0; i < Math.max(sizes.users, sizes.chats); i++) {
    const chatId = FIRST_CHAT + i;
    const user = await frontDoor.users.create({
      displayName: `Bench ${i}`,
      telegramUserId: String(chatId),
    });
    const connected = await connectWithAutoApprove(stack, user.id, EMAIL);
    if (connected.status !== 200)
      throw new Error(`connecting user ${i} answered ${connected.status}`);
    linked.push({ chatId, userId: user.id, received: 0 });
  }

  /** Posts a message update to the webhook as Telegram would; resolves on its 200. */
  const post = async (chatId: number, text: string): Promise<void> => {
    const command = /^\/\w+/.exec(text)?.[0].length ?? 0;
    const from = { id: chatId, is_bot: false, first_name: 'Bench', language_code: 'en' };
    const update = {
      update_id: nextUpdateId++,
      message: {
        message_id: nextUpdateId,
        from,
        chat: { id: chatId, type: 'private', first_name: 'Bench' },
        date: Math.floor(Date.now() / 1000),
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command }] } : {}),
      },
    };
    const response = await fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    await response.body?.cancel();
    if (response.status !== 200) throw new Error(`the webhook answered ${response.status}`);
  };
  /** Waits (long-poll, no sleeping) until the chat holds `count` more bot messages. */
  const replies = async (who: Linked, count: number): Promise<string[]> => {
    const inbox = await chat.inbox(who.chatId, { count: who.received + count, timeoutMs: 300_000 });
    if (inbox.length < who.received + count) {
      throw new Error(`chat ${who.chatId}: ${inbox.length - who.received} of ${count} replies`);
    }
    const fresh = inbox.slice(who.received, who.received + count).map((item) => item.text);
    who.received += count;
    return fresh;
  };
  const todayOnce = async (who: Linked): Promise<number> => {
    const start = performance.now();
    await post(who.chatId, '/today');
    const [text] = await replies(who, 1);
    const ms = performance.now() - start;
    if (!text?.startsWith('📅 Today')) throw new Error(`/today answered: ${text?.slice(0, 80)}`);
    return ms;
  };

  // The chats exist in the sandbox once each user has written there.
  for (const who of linked) {
    await chat.write(who.chatId, '/today', 'Bench');
    await replies(who, 1);
  }

  // Latency: one update in flight, round the chats.
  const users = linked.slice(0, sizes.users);
  for (let i = 0; i < sizes.warmUp; i++) await todayOnce(users[i % users.length]!);
  const botMs: number[] = [];
  for (let i = 0; i < sizes.samples; i++) botMs.push(await todayOnce(users[i % users.length]!));

  // Baseline: the same day's agenda through the runtime API, one request in flight.
  const keys = await Promise.all(users.map((u) => apiKeys.create(u.userId, 'bot bench')));
  const from = `${dayInNewYork(0)}T00:00:00-05:00`;
  const to = `${dayInNewYork(1)}T00:00:00-05:00`;
  const agendaUrl = `${stack.app.url}/v1/calendar/agenda?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  let apiCalls = 0;
  const agendaOnce = async (): Promise<number> => {
    const key = keys[Math.floor(apiCalls++ / 90) % keys.length]!.key;
    const start = performance.now();
    const response = await fetch(agendaUrl, { headers: { authorization: `Bearer ${key}` } });
    await response.arrayBuffer();
    const ms = performance.now() - start;
    if (response.status !== 200) throw new Error(`/v1/calendar/agenda answered ${response.status}`);
    return ms;
  };
  for (let i = 0; i < sizes.warmUp; i++) await agendaOnce();
  const apiMs: number[] = [];
  for (let i = 0; i < sizes.samples; i++) apiMs.push(await agendaOnce());

  // Throughput: every chat at once, each posting its commands in a row.
  const chats = linked.slice(0, sizes.chats);
  const commands = Array.from({ length: sizes.perChat }, (_, day) =>
    day === 0 ? '/today' : `/agenda ${dayInNewYork(day)}`,
  );
  const throughputStart = performance.now();
  const answered = await Promise.all(
    chats.map(async (who) => {
      for (const text of commands) await post(who.chatId, text);
      return { who, texts: await replies(who, commands.length) };
    }),
  );
  const throughputMs = performance.now() - throughputStart;
  for (const { who, texts } of answered) {
    const heads = texts.map((text) => text.split('\n')[0] ?? '');
    // "📅 Today · Saturday 5 December", "📅 Sunday 6 December · Sunday 6 December": the day last.
    const days = heads.map((head) => head.slice(head.lastIndexOf(' · ') + 3));
    const expected = commands.map((_, day) =>
      new Intl.DateTimeFormat('en-GB', {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        timeZone: 'UTC',
      })
        .format(new Date(`${dayInNewYork(day)}T12:00:00Z`))
        .replace(',', ''),
    );
    if (days.join('|') !== expected.join('|')) {
      throw new Error(
        `chat ${who.chatId}: replies out of order or wrong:\n  got      ${heads.join(' | ')}\n  expected ${expected.join(' | ')}`,
      );
    }
  }
  const updates = chats.length * commands.length;
  const botPerSecond = (updates / throughputMs) * 1000;
  const api = await underLoad(updates, chats.length, () => agendaOnce());

  botMs.sort((a, b) => a - b);
  apiMs.sort((a, b) => a - b);
  return {
    'bot.today_p50_ms': versus(percentile(botMs, 50), 'ms', percentile(apiMs, 50)),
    'bot.today_p99_ms': versus(percentile(botMs, 99), 'ms', percentile(apiMs, 99)),
    'bot.updates_per_second': versus(botPerSecond, 'requests/s', api.perSecond),
  };
}
