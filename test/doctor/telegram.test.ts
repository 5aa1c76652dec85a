import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramControl } from '../../sandbox/telegram/index.ts';
import { checkBotToken, checkUpdateDelivery } from '../../src/doctor/telegram-checks.ts';
import { botCall, closedPortUrl, PUBLIC_URL, startWorld } from './doctor.harness.ts';
import type { World } from './doctor.harness.ts';

const WEBHOOK = `${PUBLIC_URL}/telegram/webhook`;

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

async function webhookWorld(): Promise<World> {
  world = await startWorld();
  return world;
}

function webhookEnv(w: World, overrides: Record<string, string> = {}) {
  return w.config({
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: w.secrets.webhookSecret,
    ...overrides,
  });
}

describe('the bot token', () => {
  it('passes and names the bot', async () => {
    const w = await webhookWorld();
    expect(await checkBotToken(w.config(), w.deps)).toStrictEqual({
      id: 'telegram-bot',
      status: 'pass',
      summary: `the bot token works: @tidings_sandbox_bot at ${new URL(w.telegram.url).host}`,
      details: { username: 'tidings_sandbox_bot', botId: expect.any(Number) },
    });
  });

  it('fails when Telegram refuses the token', async () => {
    const w = await webhookWorld();
    const config = w.config({ TELEGRAM_BOT_TOKEN: '7000000003:AAshortbutwellformed123' });
    expect(await checkBotToken(config, w.deps)).toStrictEqual({
      id: 'telegram-bot',
      status: 'fail',
      summary: 'Telegram refused the bot token (TELEGRAM_BOT_TOKEN): 401 Unauthorized',
      fix: 'Copy the current token from @BotFather (/mybots → your bot → API Token) into TELEGRAM_BOT_TOKEN; a revoked token stops working at once.',
    });
  });

  it('fails naming TELEGRAM_API_ROOT when nothing answers, without the token', async () => {
    const w = await webhookWorld();
    const gone = await closedPortUrl();
    const result = await checkBotToken(w.config({ TELEGRAM_API_ROOT: gone }), w.deps);
    expect(result.summary).toBe(
      `could not reach ${new URL(gone).host} (TELEGRAM_API_ROOT): the connection was refused (nothing listens there)`,
    );
    expect(JSON.stringify(result)).not.toContain(w.secrets.botToken.split(':')[1]);
  });
});

describe('webhook mode', () => {
  it('fails when no webhook is set', async () => {
    const w = await webhookWorld();
    const result = await checkUpdateDelivery(webhookEnv(w), w.deps);
    expect({ status: result.status, summary: result.summary, fix: result.fix }).toStrictEqual({
      status: 'fail',
      summary: `webhook mode, but no webhook is set (Tidings registers ${WEBHOOK} when it starts)`,
      fix: 'Start Tidings (tidings start): it registers the webhook with TELEGRAM_WEBHOOK_SECRET; if it runs, check its log for the setWebhook failure.',
    });
  });

  it('fails when the webhook points elsewhere', async () => {
    const w = await webhookWorld();
    await botCall(w, 'setWebhook', {
      url: 'https://old.example.com/telegram/webhook',
      secret_token: w.secrets.webhookSecret,
    });
    const result = await checkUpdateDelivery(webhookEnv(w), w.deps);
    expect([result.status, result.summary]).toStrictEqual([
      'fail',
      `the webhook is https://old.example.com/telegram/webhook, not ${WEBHOOK}`,
    ]);
  });

  it('passes for PUBLIC_URL/telegram/webhook and reports the updates waiting', async () => {
    const w = await webhookWorld();
    await botCall(w, 'setWebhook', { url: WEBHOOK, secret_token: w.secrets.webhookSecret });
    expect(await checkUpdateDelivery(webhookEnv(w), w.deps)).toStrictEqual({
      id: 'telegram-delivery',
      status: 'pass',
      summary: `the webhook is ${WEBHOOK}, with the secret TELEGRAM_WEBHOOK_SECRET that Tidings registers (Telegram does not show it); 0 update(s) waiting`,
      details: { url: WEBHOOK, pendingUpdateCount: 0, lastErrorDate: null, lastErrorMessage: null },
    });
  });

  it('fails while Telegram’s deliveries fail, with the last error and the updates waiting', async () => {
    let attempts = 0;
    let retried: () => void = () => {};
    const secondAttempt = new Promise<void>((resolve) => {
      retried = resolve;
    });
    world = await startWorld({
      telegramFetch: async () => {
        attempts += 1;
        if (attempts === 2) retried();
        return new Response('', { status: 401, statusText: 'Unauthorized' });
      },
    });
    const w = world;
    await fetch(`${w.telegram.url}/__sandbox/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ webhookRetryBaseMs: 1 }),
    });
    await botCall(w, 'setWebhook', { url: WEBHOOK, secret_token: 'another-secret-0123456789' });
    await createTelegramControl(w.telegram.url).write(42, 'hello');
    await secondAttempt;
    const result = await checkUpdateDelivery(webhookEnv(w), w.deps);
    expect({ status: result.status, details: result.details }).toStrictEqual({
      status: 'fail',
      details: {
        url: WEBHOOK,
        pendingUpdateCount: 1,
        lastErrorDate: expect.any(Number),
        lastErrorMessage: 'Wrong response from the webhook: 401 Unauthorized',
      },
    });
    expect(result.summary).toMatch(
      /^the webhook is .*, but Telegram's deliveries are failing: 1 update\(s\) waiting; last delivery error .*: Wrong response from the webhook: 401 Unauthorized$/,
    );
  });
});

describe('polling mode', () => {
  it('passes when no webhook is set', async () => {
    const w = await webhookWorld();
    const result = await checkUpdateDelivery(w.config(), w.deps);
    expect([result.status, result.summary]).toStrictEqual([
      'pass',
      'polling: no webhook is set, so getUpdates can run',
    ]);
  });

  it('fails when a webhook is set, since getUpdates then answers 409', async () => {
    const w = await webhookWorld();
    await botCall(w, 'setWebhook', { url: 'https://other.example.com/telegram/webhook' });
    const conflict = await botCall(w, 'getUpdates');
    const result = await checkUpdateDelivery(w.config(), w.deps);
    expect({ conflict: (conflict as { error_code: number }).error_code, result }).toStrictEqual({
      conflict: 409,
      result: {
        id: 'telegram-delivery',
        status: 'fail',
        summary:
          'polling, but a webhook is set (other.example.com): getUpdates answers 409 Conflict while it is',
        fix: 'Another deployment in webhook mode may use this bot: give each deployment its own bot, or set TELEGRAM_MODE=webhook here too. Tidings deletes the webhook when it starts polling, and the other deployment sets it again.',
        details: {
          url: 'https://other.example.com/telegram/webhook',
          pendingUpdateCount: 0,
          lastErrorDate: null,
          lastErrorMessage: null,
        },
      },
    });
  });
});
