/**
 * New-mail alerts in the chat on the whole app and its database: `/watch` stores a rule
 * (once), the per-user limit, `/watches`, "stop watching …", `/quiet` kept in the user's
 * settings, and "Delete everything" taking the rules with the user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxItem } from '../../sandbox/telegram/index.ts';
import { keyboard } from './bot.harness.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

const ALEX = 9301;

for (const database of DATABASES) {
  describe(`watches in the chat on ${database.name}`, () => {
    let stack: Stack;
    let userId = '';

    /** Writes as Alex and waits for the bot's `count` new messages. */
    async function say(text: string, count = 1): Promise<InboxItem[]> {
      const before = (await stack.chat!.inbox(ALEX)).length;
      await stack.chat!.write(ALEX, text, 'Alex');
      const inbox = await stack.chat!.inbox(ALEX, { count: before + count, timeoutMs: 15_000 });
      return inbox.slice(before);
    }
    const answer = async (text: string) => (await say(text))[0]?.text;
    const stored = async () =>
      (
        await stack.handle.db
          .selectFrom('watch_rules')
          .select('query')
          .where('user_id', '=', userId)
          .orderBy('created_at')
          .execute()
      ).map((r) => r.query);

    beforeAll(async () => {
      stack = await startStack(database, { telegram: true, env: { WATCH_RULES_PER_USER: '2' } });
      await say('/start');
      const user = await stack.app.parts.frontDoor.users.byTelegramId(String(ALEX));
      userId = user?.id ?? '';
      const before = (await stack.chat!.inbox(ALEX)).length;
      const browser = await connectWithAutoApprove(stack, userId, 'alex@example.com');
      if (browser.status !== 200) throw new Error('connecting failed');
      // The "connected" notice arrives before anything is asked.
      await stack.chat!.inbox(ALEX, { count: before + 1, timeoutMs: 15_000 });
    }, 60_000);
    afterAll(async () => {
      await stack?.close();
    });

    it('stores a watch once and refuses one over the limit', async () => {
      const created = await answer('/watch from:alice@northwind.example');
      const again = await answer('/watch from:alice@northwind.example');
      await answer('/watch subject:invoice');
      const refused = await answer('/watch subject:receipt');
      expect({ created, again, refused, stored: await stored() }).toStrictEqual({
        created:
          "👀 I'll tell you when new mail matching from:alice@northwind.example arrives in alex@example.com. /watches lists your watches.",
        again:
          'You already watch from:alice@northwind.example in alex@example.com. /watches lists your watches.',
        refused:
          'You already have 2 watches, the most one person may have. Remove one with /watches first.',
        stored: ['from:alice@northwind.example', 'subject:invoice'],
      });
    });

    it('lists the watches with their buttons and removes one asked for in words', async () => {
      const [list] = await say('/watches');
      const removed = await answer('stop watching alice');
      expect({
        heading: list?.text.split('\n')[0],
        buttons: keyboard(list).map((row) => row.map((b) => b.text)),
        removed,
        stored: await stored(),
      }).toStrictEqual({
        heading: 'New mail you are watching for',
        buttons: [['Remove 1: from:alice@northwind.example'], ['Remove 2: subject:invoice']],
        removed: 'Stopped watching from:alice@northwind.example in alex@example.com.',
        stored: ['subject:invoice'],
      });
    });

    it('keeps the quiet hours in the user settings', async () => {
      await answer('/quiet 22:30-06:45');
      const settings = (await stack.app.parts.frontDoor.users.get(userId))?.settings;
      expect(settings?.quietHours).toStrictEqual({ from: '22:30', to: '06:45' });
    });

    it('deletes the watches with everything else', async () => {
      const [privacy] = await say('/privacy');
      // A chat is answered in order: once a later message is answered, the press was.
      await stack.chat!.press(ALEX, privacy?.message_id ?? 0, 'pd');
      await say('/help');
      await stack.chat!.press(ALEX, privacy?.message_id ?? 0, 'py');
      await say('/help');
      expect({
        listed: /You have one:\n {3}– \S+ on alex@example\.com/.test(privacy?.text ?? ''),
        stored: await stored(),
      }).toStrictEqual({ listed: true, stored: [] });
    });
  });
}
