/**
 * A notification whose delivery meets the database going away for a moment
 * (`database_unavailable`) is tried again on the next delivery, like any transient
 * failure: it is not written off as undeliverable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidingsError } from '../../src/errors.ts';
import { type BotFixture, startBotFixture } from '../telegram/bot.harness.ts';

describe('a notification delivered during a database blip', () => {
  let f: BotFixture;
  beforeAll(async () => {
    f = await startBotFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('is delivered by the next run once the database answers again', async () => {
    const user = await f.door.signUp(4501, 'Alex');
    await f.ask(4501, '/help');
    await f.door.outbox.enqueue({
      userId: user.id,
      kind: 'connected',
      payload: { email: 'alex@example.com', capabilities: ['gmail', 'calendar'] },
    });
    const users = f.door.users;
    const get = users.get;
    users.get = async () => {
      users.get = get;
      throw new TidingsError('database_unavailable', 'The database is not answering right now.', {
        retryAfterSeconds: 5,
      });
    };
    const first = await f.bot.deliverOutbox();
    const second = await f.bot.deliverOutbox();
    const inbox = await f.control.inbox(4501);
    expect({
      first,
      second,
      told: inbox.slice(1).map((m) => m.text.split('\n')[0]),
    }).toStrictEqual({
      first: 0,
      second: 1,
      told: ['✅ Connected as alex@example.com — Gmail and Calendar.'],
    });
  });
});
