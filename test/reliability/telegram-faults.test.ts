/**
 * Telegram faults: the Bot API answers `sendMessage` and the edits with 429
 * (`parameters.retry_after`) and 5xx at a fixed rate per chat while a few chats send many
 * messages, press buttons and receive outbox notices. Counting what the Telegram sandbox
 * recorded, every answer and every notice reaches its chat exactly once and in order, and
 * every button press edits its message exactly once (the "connected" notices also take
 * the connect buttons off earlier messages: those edits are counted apart).
 */
import type { InboxItem, TelegramControl } from '../../sandbox/telegram/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { createClock } from './faults-google.harness.ts';
import { reportFigures } from './report.harness.ts';
import { type Stack, startStack } from '../support/stack.harness.ts';

const CHATS = [9_301, 9_302, 9_303, 9_304];
/** What each chat sends, in turn; consecutive messages never ask the same thing. */
const SCRIPT = ['/help', '/privacy', '/unread', '/accounts', 'hello there', '/today'];
const MESSAGES_PER_CHAT = 30;
/** Sent without waiting for answers; the per-user rate limit (20 a minute) is respected. */
const BATCH = 12;
const NOTICES_PER_CHAT = 4;
/** The privacy answer's delete button, then the question's cancel button. */
const PRESSES = ['pd', 'x'];
/** A chat that records, before any fault, what each message is answered with. */
const REFERENCE_CHAT = 9_300;
/** Send faults per chat: 429 at one call in five, a 502 at one in eight of the rest. */
const FLOOD_RATE = 0.2;
const SERVER_ERROR_RATE = 0.125;
/** The longest wait for a chat's inbox to fill, in the sandbox (a hang guard, not a timing). */
const INBOX_WAIT_MS = 120_000;

const firstLine = (item: InboxItem | undefined) => item?.text.split('\n')[0] ?? '(none)';
const isNotice = (item: InboxItem) => item.text.startsWith('✅ Connected as');

for (const database of DATABASES) {
  describe(`Telegram faults on ${database.name}`, () => {
    let stack: Stack;
    let chat: TelegramControl;
    const clock = createClock();
    beforeAll(async () => {
      stack = await startStack(database, { telegram: true, start: { now: clock.now } });
      chat = stack.chat!;
      // The sandbox's own flood control stays out of the way: only the injected faults count.
      await chat.settings({ floodLimitPerChat: 0, floodLimitGlobal: 0 });
    });
    afterAll(async () => {
      await stack?.close();
    });

    /** Sends `texts` at once, then waits until the chat holds `expected` bot messages. */
    async function sendAll(userId: number, texts: string[], expected: number) {
      for (const text of texts) await chat.write(userId, text, `User ${userId}`);
      return chat.inbox(userId, { count: expected, timeoutMs: INBOX_WAIT_MS });
    }

    /**
     * The privacy answer's buttons: delete (the message turns into a question), then cancel
     * (it turns into "Cancelled"). Each press is followed by a message, whose answer comes
     * only once the press is handled: answers follow the order of updates in a chat.
     */
    async function pressButtons(userId: number, inbox: InboxItem[], sent: string[]) {
      let all = await sendAll(userId, ['/privacy'], inbox.length + 1);
      sent.push('/privacy');
      const target = all.at(-1)!;
      const edits: string[] = [];
      for (const data of PRESSES) {
        await chat.press(userId, target.message_id, data);
        all = await sendAll(userId, ['/help'], all.length + 1);
        sent.push('/help');
        edits.push(firstLine(all.find((m) => m.message_id === target.message_id)));
      }
      return { all, edits, target: target.message_id };
    }

    async function queueNotices(userId: number): Promise<void> {
      const user = await stack.app.parts.users.byTelegramId(String(userId));
      for (let n = 1; n <= NOTICES_PER_CHAT; n++) {
        await stack.app.parts.outbox.enqueue({
          userId: user!.id,
          kind: 'connected',
          payload: { email: `notice-${n}@example.com`, capabilities: ['gmail'] },
          dedupeKey: `reliability:${userId}:${n}`,
        });
      }
      stack.app.telegram!.kickOutbox();
    }

    it('delivers every answer, notice and edit exactly once and in order per chat', async () => {
      // What each message is answered with, and what the presses make of the privacy
      // answer, before any fault (the first line says which answer it is).
      const reference = new Map<string, string>();
      let seen: InboxItem[] = [];
      for (const text of SCRIPT) {
        seen = await sendAll(REFERENCE_CHAT, [text], seen.length + 1);
        reference.set(text, firstLine(seen.at(-1)));
      }
      const expectedEdits = (await pressButtons(REFERENCE_CHAT, seen, [])).edits;

      const sends = ['sendMessage'];
      await chat.addFault({ methods: sends, status: 429, retryAfter: 1, rate: FLOOD_RATE });
      await chat.addFault({ methods: sends, status: 502, rate: SERVER_ERROR_RATE });
      // Edits are few: the first two edits of the run meet a 500, then every second edit of
      // a chat a 429 (never more than two failures in a row for one edit).
      const edits = ['editMessageText', 'editMessageReplyMarkup'];
      await chat.addFault({ methods: edits, status: 500, count: 2 });
      await chat.addFault({ methods: edits, status: 429, retryAfter: 1, rate: 0.5 });
      const before = await chat.stats();

      const perChat = await Promise.all(
        CHATS.map(async (userId) => {
          const sent: string[] = [];
          let inbox: InboxItem[] = [];
          for (let start = 0; start < MESSAGES_PER_CHAT; start += BATCH) {
            const texts = Array.from(
              { length: Math.min(BATCH, MESSAGES_PER_CHAT - start) },
              (_, k) => SCRIPT[(start + k) % SCRIPT.length]!,
            );
            for (const text of texts) await chat.write(userId, text, `User ${userId}`);
            sent.push(...texts);
            // Once the person has written (a bot cannot start a chat), notices join the answers.
            if (start === 0) await queueNotices(userId);
            const noticesDue = start === 0 ? NOTICES_PER_CHAT : 0;
            inbox = await chat.inbox(userId, {
              count: inbox.length + texts.length + noticesDue,
              timeoutMs: INBOX_WAIT_MS,
            });
            clock.advance(61_000);
          }
          const pressed = await pressButtons(userId, inbox, sent);
          return { userId, sent, final: pressed.all, edits: pressed.edits, target: pressed.target };
        }),
      );
      const after = await chat.stats();

      const problems: unknown[] = [];
      let answers = 0;
      let notices = 0;
      for (const { userId, sent, final, edits, target } of perChat) {
        const answered = final.filter((m) => !isNotice(m));
        const told = final.filter(isNotice).map((m) => m.text.match(/notice-(\d+)/)?.[1]);
        answers += answered.length;
        notices += told.length;
        // The privacy answer the buttons were pressed on reads as the last edit made it.
        const expected = sent.map((text, k) =>
          k === sent.length - 1 - PRESSES.length ? expectedEdits.at(-1) : reference.get(text),
        );
        const got = answered.map(firstLine);
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          problems.push({ userId, expected, got });
        }
        const inOrder = Array.from({ length: NOTICES_PER_CHAT }, (_, n) => String(n + 1));
        if (JSON.stringify(told) !== JSON.stringify(inOrder)) {
          problems.push({ userId, notices: told });
        }
        if (JSON.stringify(edits) !== JSON.stringify(expectedEdits)) {
          problems.push({ userId, target, edits, expectedEdits });
        }
      }
      const calls = (method: string) =>
        (after.requests[method] ?? 0) - (before.requests[method] ?? 0);
      const faulted = (method: string) => after.faults[method] ?? 0;
      const sendCalls = calls('sendMessage');
      const editCalls = calls('editMessageText') + calls('editMessageReplyMarkup');
      const editFaults = faulted('editMessageText') + faulted('editMessageReplyMarkup');
      // A press replaces its message's text; a "connected" notice takes the connect buttons
      // off the chat's earlier messages (reply markup only).
      const pressEdits = calls('editMessageText') - faulted('editMessageText');
      const buttonRemovals = calls('editMessageReplyMarkup') - faulted('editMessageReplyMarkup');
      reportFigures('telegram-faults', {
        database: database.name,
        chats: CHATS.length,
        messages_sent: perChat.reduce((n, c) => n + c.sent.length, 0),
        answers_delivered: answers,
        notices_queued: CHATS.length * NOTICES_PER_CHAT,
        notices_delivered: notices,
        button_presses: CHATS.length * PRESSES.length,
        send_calls: sendCalls,
        send_faults: faulted('sendMessage'),
        edit_calls: editCalls,
        edit_faults: editFaults,
        connect_buttons_removed: buttonRemovals,
        duplicates_or_gaps: problems.length,
      });
      expect(problems).toStrictEqual([]);
      expect({
        // Every successful sendMessage is one message in a chat: none lost, none twice.
        delivered: sendCalls - faulted('sendMessage'),
        pressEdits,
        answers,
        notices,
      }).toStrictEqual({
        delivered: answers + notices,
        pressEdits: CHATS.length * PRESSES.length,
        answers: CHATS.length * (MESSAGES_PER_CHAT + 1 + PRESSES.length),
        notices: CHATS.length * NOTICES_PER_CHAT,
      });
      expect([faulted('sendMessage') > 0, editFaults > 0]).toStrictEqual([true, true]);
    });
  });
}
