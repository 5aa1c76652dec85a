/**
 * Bot API methods about the bot itself and how it receives updates: getMe, getUpdates
 * (offsets, limit, long polling woken by the next update, 409 while a webhook is set or
 * when a newer poll takes over), setWebhook, deleteWebhook and getWebhookInfo.
 */
import { BotApiError, badRequest } from './bot-api-error.ts';
import { described } from './method-context.ts';
import type { MethodContext, MethodHandler } from './method-context.ts';
import { optionalBoolean, optionalInteger, optionalJson, optionalString } from './params.ts';
import type { Params } from './params.ts';
import { confirmUpdates, pendingUpdates, waitForWake, wake } from './update-queue.ts';
import type { BotRecord, TgUpdate } from './types.ts';

const WEBHOOK_CONFLICT =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const POLL_CONFLICT =
  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

const getMe: MethodHandler = ({ bot }) => ({
  ...bot.user,
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
});

async function getUpdates({ bot, params, signal }: MethodContext): Promise<TgUpdate[]> {
  if (bot.webhook) throw new BotApiError(409, WEBHOOK_CONFLICT);
  const offset = optionalInteger(params, 'offset');
  const limit = Math.min(100, Math.max(1, optionalInteger(params, 'limit') ?? 100));
  const timeout = Math.max(0, optionalInteger(params, 'timeout') ?? 0);
  const allowed = readAllowedUpdates(params);
  if (allowed) bot.allowedUpdates = allowed;
  confirmUpdates(bot, offset);
  bot.cancelPoll?.();
  let updates = pendingUpdates(bot, limit);
  if (updates.length > 0 || timeout === 0) return updates;

  const poll = new AbortController();
  let replaced = false;
  const cancel = (): void => {
    replaced = true;
    poll.abort();
  };
  bot.cancelPoll = cancel;
  const stop = AbortSignal.any([poll.signal, signal]);
  const deadline = Date.now() + Math.min(timeout, 600) * 1000;
  try {
    while (!stop.aborted && Date.now() < deadline && !bot.webhook) {
      await waitForWake(bot, deadline - Date.now(), stop);
      updates = pendingUpdates(bot, limit);
      if (updates.length > 0) break;
    }
  } finally {
    if (bot.cancelPoll === cancel) bot.cancelPoll = null;
  }
  if (replaced) throw new BotApiError(409, POLL_CONFLICT);
  return bot.webhook ? [] : updates;
}

function setWebhook(context: MethodContext): unknown {
  const { bot, params } = context;
  const url = optionalString(params, 'url') ?? '';
  if (url === '') return deleteWebhook(context);
  if (!isWebhookUrl(url))
    throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  const secretToken = optionalString(params, 'secret_token');
  if (secretToken !== undefined && !SECRET_TOKEN.test(secretToken)) {
    throw badRequest('secret token contains unallowed characters');
  }
  const maxConnections = optionalInteger(params, 'max_connections') ?? 40;
  const allowedUpdates = readAllowedUpdates(params);
  if (allowedUpdates) bot.allowedUpdates = allowedUpdates;
  if (optionalBoolean(params, 'drop_pending_updates')) bot.queue = [];
  const previous = bot.webhook;
  const unchanged =
    previous?.url === url &&
    previous.secretToken === secretToken &&
    previous.maxConnections === maxConnections;
  if (!unchanged) {
    bot.webhook = {
      url,
      maxConnections: Math.min(100, Math.max(1, maxConnections)),
      ...(secretToken !== undefined ? { secretToken } : {}),
      ...(allowedUpdates ? { allowedUpdates } : {}),
    };
  }
  activate(context, bot);
  return described(true, unchanged ? 'Webhook is already set' : 'Webhook was set');
}

function deleteWebhook(context: MethodContext): unknown {
  const { bot, params } = context;
  if (optionalBoolean(params, 'drop_pending_updates')) bot.queue = [];
  const had = bot.webhook !== null;
  bot.webhook = null;
  activate(context, bot);
  return described(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
}

const getWebhookInfo: MethodHandler = ({ bot }) => {
  const hook = bot.webhook;
  return {
    url: hook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: bot.queue.length,
    ...(hook
      ? {
          max_connections: hook.maxConnections,
          ip_address: '127.0.0.1',
          ...(hook.allowedUpdates ? { allowed_updates: hook.allowedUpdates } : {}),
          ...(hook.lastErrorDate !== undefined
            ? { last_error_date: hook.lastErrorDate, last_error_message: hook.lastErrorMessage }
            : {}),
        }
      : {}),
  };
};

/** After a delivery mode change: wake long polls, restart webhook delivery now. */
function activate({ delivery }: MethodContext, bot: BotRecord): void {
  wake(bot);
  delivery.retryNow(bot);
  delivery.kick(bot);
}

function readAllowedUpdates(params: Params): string[] | undefined {
  const value = optionalJson(params, 'allowed_updates', "can't parse allowed_updates JSON array");
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw badRequest("can't parse allowed_updates JSON array");
  }
  return value;
}

function isWebhookUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export const UPDATE_METHODS: Record<string, MethodHandler> = {
  getMe,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
};
