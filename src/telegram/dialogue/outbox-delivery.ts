/**
 * Delivers the notification outbox: a broken grant (with a reconnect button, and why when
 * Google reported the account disabled), a new connection (which account, what to try
 * with what was granted, what was left unticked and how to add it, and how to remove the
 * account when it was not the user who connected it — the connect buttons of earlier
 * messages are removed first, being spent), the daily briefing (built by asking the
 * capabilities), and new-mail alerts: one new message, the digest of what waited through
 * the quiet hours, and the notice that an account's watches are paused. An item that can never be delivered — a user without a Telegram chat, a
 * chat Telegram does not know, a user who blocked the bot (403) — is settled as failed at
 * once and not tried again, so it never turns into retries.
 */
import type { Api } from 'grammy';
import { GrammyError } from 'grammy';
import { TidingsError } from '../../errors.ts';
import type { OutboxItem } from '../../connections/index.ts';
import { buildBriefing } from './briefing.ts';
import { reauthClause } from '../render/index.ts';
import { bold, escapeHtml } from '../render/index.ts';
import type { Reply } from '../render/index.ts';
import { removeSpentConnectButtons, whereOf } from './connect-buttons.ts';
import {
  AlertPayloadSchema,
  type PausedReason,
  renderWatchAlert,
  renderWatchDigest,
  renderWatchPaused,
} from '../render/render-watch.ts';
import { connectButton, createTurn, errorReply } from './turn.ts';
import type { BotServices, Turn } from './turn.ts';

const BATCH = 50;
const MAX_REMEMBERED = 10_000;

/** What a grant covers, from a notice's `capabilities`. */
function servicesOf(value: unknown): { gmail: boolean; calendar: boolean } {
  const list: unknown[] = Array.isArray(value) ? value : [];
  return { gmail: list.includes('gmail'), calendar: list.includes('calendar') };
}

function capabilityNames(granted: { gmail: boolean; calendar: boolean }): string {
  const names = [...(granted.gmail ? ['Gmail'] : []), ...(granted.calendar ? ['Calendar'] : [])];
  return names.length > 0 ? names.join(' and ') : 'no services yet';
}

/** "a, b or c". */
function either(items: readonly string[]): string {
  return items.length < 2
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** What was left unticked on Google's page, and how to add it; null when nothing was. */
function missingSentence(granted: { gmail: boolean; calendar: boolean }): string | null {
  if (granted.gmail && granted.calendar) return null;
  if (granted.gmail) {
    return "Google Calendar was left unticked, so I cannot read your agenda. To add it, reconnect and tick Google Calendar on Google's page.";
  }
  if (granted.calendar) {
    return "Gmail was left unticked, so I cannot read your mail. To add it, reconnect and tick Gmail on Google's page.";
  }
  return "Neither Gmail nor Google Calendar was ticked, so I cannot read anything yet. Reconnect and tick both on Google's page.";
}

/** The "connected" notice: what to try with what was granted, and what is missing. */
async function connectedReply(turn: Turn, item: OutboxItem, email: string): Promise<Reply> {
  const granted = servicesOf(item.payload.capabilities);
  const tries = [
    ...(granted.calendar ? ['"What\'s on today?"'] : []),
    ...(granted.gmail ? ['"Any unread mail?"'] : []),
  ];
  const missing = missingSentence(granted);
  const paragraphs = [
    `✅ Connected as ${bold(email)} — ${escapeHtml(capabilityNames(granted))}.`,
    ...(tries.length > 0 ? [escapeHtml(`Try ${either([...tries, '/help'])}.`)] : []),
    ...(missing ? [escapeHtml(missing)] : []),
    `Not you? If you did not connect this Google account, remove it now with /disconnect ${escapeHtml(email)}`,
  ];
  const button = missing
    ? await connectButton(turn, 'Reconnect Google', item.connectionId ?? undefined)
    : null;
  return { html: paragraphs.join('\n\n'), ...(button ? { buttons: [[button]] } : {}) };
}

const PAUSED_REASONS: readonly PausedReason[] = [
  'reauth_required',
  'not_connected',
  'scope_missing',
];

/** An account's watches stopped: why, and the button that resumes them. */
async function watchPausedReply(turn: Turn, item: OutboxItem, email: string): Promise<Reply> {
  const given = item.payload.reason;
  const reason = PAUSED_REASONS.find((r) => r === given) ?? 'reauth_required';
  const watches = typeof item.payload.watches === 'number' ? item.payload.watches : 1;
  const button =
    reason === 'not_connected'
      ? await connectButton(turn, 'Connect Google')
      : await connectButton(turn, 'Reconnect Google', item.connectionId ?? undefined);
  return renderWatchPaused(email, reason, Math.max(1, Math.floor(watches)), button);
}

/** The alerts of a payload (one, or a digest's list), read leniently. */
function alertsOf(value: unknown) {
  const list: unknown[] = Array.isArray(value) ? value : [];
  return list.flatMap((a) => {
    const parsed = AlertPayloadSchema.safeParse(a);
    return parsed.success ? [parsed.data] : [];
  });
}

async function briefingOrError(turn: Turn): Promise<Reply> {
  try {
    return await buildBriefing(turn);
  } catch (error) {
    return errorReply(turn, error);
  }
}

export async function notificationReply(turn: Turn, item: OutboxItem): Promise<Reply> {
  const email = typeof item.payload.email === 'string' ? item.payload.email : 'your Google account';
  switch (item.kind) {
    case 'connection_broken': {
      const reason = typeof item.payload.reason === 'string' ? item.payload.reason : undefined;
      const button = await connectButton(turn, 'Reconnect Google', item.connectionId ?? undefined);
      const buttons = button ? { buttons: [[button]] } : {};
      // Cross-Account Protection told us Google disabled the account: say so, and why.
      if (item.payload.securityEvent === 'account-disabled') {
        return {
          html:
            item.payload.eventReason === 'hijacking'
              ? `⚠️ Google disabled ${bold(email)} because someone else may have taken it over, so I deleted the access it gave me. Secure the account with Google first, then reconnect it.`
              : `⚠️ Google disabled ${bold(email)}, so I can no longer read it and deleted the access it gave me. Once Google enables it again, reconnect it.`,
          ...buttons,
        };
      }
      return {
        html: `⚠️ I can no longer read ${bold(email)}: ${escapeHtml(reauthClause(reason))}. Reconnect it to keep your answers and briefings coming.`,
        ...buttons,
      };
    }
    case 'connected':
      return connectedReply(turn, item, email);
    case 'briefing':
      return briefingOrError(turn);
    case 'watch_alert': {
      const [alert] = alertsOf([item.payload.alert]);
      if (!alert) throw new TidingsError('invalid_request', 'the alert cannot be read');
      return renderWatchAlert(alert);
    }
    case 'watch_digest': {
      const alerts = alertsOf(item.payload.alerts);
      if (alerts.length === 0) throw new TidingsError('invalid_request', 'the digest is empty');
      return renderWatchDigest(alerts);
    }
    case 'watch_paused':
      return watchPausedReply(turn, item, email);
    default: {
      const unknown: never = item.kind;
      throw new Error(`unknown notification kind ${String(unknown)}`);
    }
  }
}

/** Telegram's 400 for a chat it does not know: the user never opened one with the bot. */
function isUnknownChat(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    error.description.includes('chat not found')
  );
}

/** A turn for a user who did not write: their private chat is their Telegram id. */
export async function turnForUser(services: BotServices, api: Api, userId: string): Promise<Turn> {
  const user = await services.frontDoor.users.get(userId);
  const chatId = user?.telegramUserId ? Number(user.telegramUserId) : Number.NaN;
  if (!user || !Number.isSafeInteger(chatId) || chatId <= 0) {
    throw new TidingsError('not_found', 'the user has no Telegram chat');
  }
  return createTurn(services, api, user, chatId);
}

export function createOutboxDelivery(services: BotServices, api: Api): () => Promise<number> {
  const { outbox, logger } = services;
  const givenUp = new Set<string>();
  let running: Promise<number> | null = null;

  async function deliverOnce(): Promise<number> {
    const items = await outbox.claim(BATCH);
    const blockedNow = new Set<string>();
    let delivered = 0;
    for (const item of items) {
      if (givenUp.has(item.id)) continue;
      if (givenUp.size > MAX_REMEMBERED) givenUp.clear();
      if (blockedNow.has(item.userId)) {
        await outbox.failed(item.id, 'blocked by the user', { permanent: true });
        givenUp.add(item.id);
        continue;
      }
      if (item.kind === 'connection_broken' && services.notices.wasTold(item.connectionId ?? '')) {
        // The answer to the question that found the break has just said the same.
        await outbox.delivered(item.id);
        continue;
      }
      try {
        const turn = await turnForUser(services, api, item.userId);
        const reply = await notificationReply(turn, item);
        // Connected: the connect buttons sent before are spent (the new reply's are not).
        if (item.kind === 'connected') await removeSpentConnectButtons(whereOf(turn), api);
        await turn.send(reply);
        await outbox.delivered(item.id);
        delivered += 1;
      } catch (error) {
        const blocked = error instanceof GrammyError && error.error_code === 403;
        // Our own database going away for a moment is transient like a Telegram 5xx.
        const transient = error instanceof TidingsError && error.code === 'database_unavailable';
        const permanent =
          blocked || (error instanceof TidingsError && !transient) || isUnknownChat(error);
        const reason =
          error instanceof GrammyError
            ? `telegram ${error.error_code}: ${error.description}`
            : error instanceof TidingsError
              ? error.code
              : 'delivery failed';
        if (permanent) {
          givenUp.add(item.id);
          if (blocked) blockedNow.add(item.userId);
        }
        logger.warn(
          { notification: item.id, kind: item.kind, reason },
          'notification not delivered',
        );
        await outbox.failed(item.id, reason, { permanent });
      }
    }
    return delivered;
  }

  return () => {
    running ??= deliverOnce().finally(() => {
      running = null;
    });
    return running;
  };
}
