/**
 * What the bot counts: every Bot API call by method and outcome (a grammY API transformer,
 * installed beneath the flood-control retries so each attempt is seen), and every update
 * by kind and outcome (called by the update handler, which knows how it ended). Labels are
 * method names, kinds and outcomes only, never a chat, a user or a word of a message.
 */
import type { Transformer } from 'grammy';
import type { Update } from 'grammy/types';

export type SendOutcome = 'ok' | '429' | '4xx' | '5xx' | 'network';
export type UpdateKind = 'message' | 'callback_query' | 'other';
/**
 * `answered`: the bot replied (an error sentence included); `ignored`: nothing to answer
 * (seen before, from a bot, for another bot, silently rate limited); `refused`: a group
 * chat, the rate limit's notice, a user not on the allow-list; `failed`: answering threw.
 */
export type UpdateOutcome = 'answered' | 'ignored' | 'refused' | 'failed';

export interface TelegramMetrics {
  telegramUpdates: { inc(labels: { kind: UpdateKind; outcome: UpdateOutcome }): void };
  telegramSends: { inc(labels: { method: string; outcome: SendOutcome }): void };
}

/** Long polling waits in `getUpdates` by design; counting it would only count the clock. */
const NOT_COUNTED: ReadonlySet<string> = new Set(['getUpdates']);
/** Bot API method names are camelCase words; anything else is reported as `other`. */
const METHOD_NAME = /^[a-zA-Z]{1,40}$/;

/** An `error_code` the Bot API answered, as an outcome. */
export function sendOutcomeOf(errorCode: number): SendOutcome {
  if (errorCode === 429) return '429';
  return errorCode >= 500 ? '5xx' : '4xx';
}

/**
 * A grammY API transformer counting every Bot API call by method and outcome. Install it
 * before `autoRetry` (`bot.api.config.use(countBotApiCalls(metrics))` first), so each
 * attempt, a 429 waited out included, is counted.
 */
export function countBotApiCalls(metrics: Pick<TelegramMetrics, 'telegramSends'>): Transformer {
  return async (prev, method, payload, signal) => {
    if (NOT_COUNTED.has(method)) return prev(method, payload, signal);
    const label = METHOD_NAME.test(method) ? method : 'other';
    let outcome: SendOutcome = 'network';
    try {
      const response = await prev(method, payload, signal);
      outcome = response.ok ? 'ok' : sendOutcomeOf(response.error_code);
      return response;
    } finally {
      metrics.telegramSends.inc({ method: label, outcome });
    }
  };
}

export function updateKindOf(update: Update): UpdateKind {
  if (update.message) return 'message';
  if (update.callback_query) return 'callback_query';
  return 'other';
}

/** Counts one update; a no-op without metrics. */
export function countUpdate(
  metrics: Pick<TelegramMetrics, 'telegramUpdates'> | undefined,
  update: Update,
  outcome: UpdateOutcome,
): void {
  metrics?.telegramUpdates.inc({ kind: updateKindOf(update), outcome });
}
