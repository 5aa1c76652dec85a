/**
 * Checks 7 and 8: the bot token works (`getMe`, which names the bot) and updates can
 * reach Tidings the way `TELEGRAM_MODE` says (`getWebhookInfo`). In webhook mode the
 * webhook must be `PUBLIC_URL/telegram/webhook`; Telegram never shows the secret it holds,
 * so the check reports what it does show — updates waiting, the last delivery error — and
 * fails when deliveries are failing now. In polling mode no webhook may be set: while
 * one is, `getUpdates` answers 409. The token is never shown (it travels in the path).
 */
import { type Config, publicUrlOf } from '../config.ts';
import { WEBHOOK_PATH } from '../telegram/transport/index.ts';
import { type DoctorDeps, hostOf, objectOf, type Reached, reach } from './http-probe.ts';
import { type CheckResult, type DetailRecord, fail, pass } from './report.ts';

/** A delivery error this recent, with updates waiting, means deliveries fail now. */
const RECENT_ERROR_SECONDS = 3600;

function callBot(config: Config, method: string, deps: DoctorDeps): Promise<Reached> {
  return reach(deps, {
    url: `${config.telegram.apiRoot}/bot${config.telegram.botToken ?? ''}/${method}`,
    setting: 'TELEGRAM_API_ROOT',
  });
}

/** The `result` of a Bot API answer, or a failed check saying why there is none. */
function resultOf(
  id: string,
  answer: Reached,
  method: string,
): { ok: true; result: Record<string, unknown> } | { ok: false; check: CheckResult } {
  if (!answer.ok) return { ok: false, check: fail(id, answer.summary, answer.fix) };
  const body = objectOf(answer.json);
  if (answer.status === 401 || answer.status === 404) {
    return {
      ok: false,
      check: fail(
        id,
        `Telegram refused the bot token (TELEGRAM_BOT_TOKEN): ${answer.status} ${typeof body?.description === 'string' ? body.description : ''}`.trim(),
        'Copy the current token from @BotFather (/mybots → your bot → API Token) into TELEGRAM_BOT_TOKEN; a revoked token stops working at once.',
      ),
    };
  }
  const result = objectOf(body?.result);
  if (answer.status !== 200 || body?.ok !== true || !result) {
    return {
      ok: false,
      check: fail(
        id,
        `${method} answered HTTP ${answer.status}${typeof body?.description === 'string' ? ` (${body.description})` : ''}`,
        answer.status >= 500 || answer.status === 429
          ? 'Telegram is having trouble or asks to slow down: try again in a minute.'
          : 'Check TELEGRAM_API_ROOT (default https://api.telegram.org).',
      ),
    };
  }
  return { ok: true, result };
}

export async function checkBotToken(config: Config, deps: DoctorDeps): Promise<CheckResult> {
  const id = 'telegram-bot';
  const got = resultOf(id, await callBot(config, 'getMe', deps), 'getMe');
  if (!got.ok) return got.check;
  const { username, id: botId } = got.result;
  return pass(
    id,
    `the bot token works: @${typeof username === 'string' ? username : '?'} at ${hostOf(config.telegram.apiRoot)}`,
    {
      username: typeof username === 'string' ? username : null,
      botId: typeof botId === 'number' ? botId : null,
    },
  );
}

function webhookDetails(info: Record<string, unknown>): DetailRecord {
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  return {
    url: typeof info.url === 'string' ? info.url : '',
    pendingUpdateCount: number(info.pending_update_count),
    lastErrorDate: number(info.last_error_date),
    lastErrorMessage: typeof info.last_error_message === 'string' ? info.last_error_message : null,
  };
}

function waiting(details: DetailRecord): string {
  const pending = details.pendingUpdateCount;
  const parts = [`${typeof pending === 'number' ? pending : 0} update(s) waiting`];
  if (typeof details.lastErrorMessage === 'string' && typeof details.lastErrorDate === 'number') {
    const at = new Date(details.lastErrorDate * 1000).toISOString();
    parts.push(`last delivery error ${at}: ${details.lastErrorMessage}`);
  }
  return parts.join('; ');
}

export async function checkUpdateDelivery(config: Config, deps: DoctorDeps): Promise<CheckResult> {
  const id = 'telegram-delivery';
  const got = resultOf(id, await callBot(config, 'getWebhookInfo', deps), 'getWebhookInfo');
  if (!got.ok) return got.check;
  const details = webhookDetails(got.result);
  const url = details.url as string;
  if (config.telegram.mode === 'polling') {
    if (url === '') return pass(id, 'polling: no webhook is set, so getUpdates can run', details);
    return fail(
      id,
      `polling, but a webhook is set (${hostOf(url)}): getUpdates answers 409 Conflict while it is`,
      'Another deployment in webhook mode may use this bot: give each deployment its own bot, or set TELEGRAM_MODE=webhook here too. Tidings deletes the webhook when it starts polling, and the other deployment sets it again.',
      details,
    );
  }
  const expected = `${publicUrlOf(config, config.port)}${WEBHOOK_PATH}`;
  if (url === '') {
    return fail(
      id,
      `webhook mode, but no webhook is set (Tidings registers ${expected} when it starts)`,
      'Start Tidings (tidings start): it registers the webhook with TELEGRAM_WEBHOOK_SECRET; if it runs, check its log for the setWebhook failure.',
      details,
    );
  }
  if (url !== expected) {
    return fail(
      id,
      `the webhook is ${url}, not ${expected}`,
      'Restart Tidings so it registers PUBLIC_URL/telegram/webhook, or fix PUBLIC_URL; if another deployment uses this bot, give each its own bot.',
      details,
    );
  }
  const lastError = details.lastErrorDate;
  const pending = details.pendingUpdateCount;
  const nowSeconds = deps.now().getTime() / 1000;
  if (
    typeof lastError === 'number' &&
    nowSeconds - lastError < RECENT_ERROR_SECONDS &&
    typeof pending === 'number' &&
    pending > 0
  ) {
    return fail(
      id,
      `the webhook is ${expected}, but Telegram's deliveries are failing: ${waiting(details)}`,
      'Check that PUBLIC_URL reaches this Tidings over https; a 401 means Telegram holds another secret than TELEGRAM_WEBHOOK_SECRET: restart Tidings so it registers the webhook again.',
      details,
    );
  }
  return pass(
    id,
    `the webhook is ${expected}, with the secret TELEGRAM_WEBHOOK_SECRET that Tidings registers (Telegram does not show it); ${waiting(details)}`,
    details,
  );
}
