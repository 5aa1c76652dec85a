/**
 * What happens to every update, in order: answered once (`firstSeen`), private chats only
 * (a polite refusal to commands in groups), per-user rate limit, the optional allow-list,
 * then the user is found or created (their locale following their Telegram app's language)
 * and the command, text or button is answered. Every failure becomes a sentence; nothing
 * a user sends can surface a stack trace. What an exchange showed is kept for the chat's
 * follow-ups before the answer goes out, so the next message finds it on any instance.
 * Each update is counted by kind and how it ended (`../metrics.ts`).
 */
import type { Context } from 'grammy';
import { countUpdate, type TelegramMetrics, type UpdateOutcome } from '../metrics.ts';
import { UNEXPECTED_SENTENCE } from '../render/index.ts';
import { EXPIRED_NOTE, pressButton } from './button-handlers.ts';
import { forAnotherBot, parseCommand, runCommand } from './commands.ts';
import type { ParsedCommand } from './commands.ts';
import { rememberExchange } from './chat-memory.ts';
import { noteConnectButtons, whereOf } from './connect-buttons.ts';
import { answerText } from './conversation.ts';
import { localeOf } from '../render/index.ts';
import type { RateLimiter } from '../transport/index.ts';
import { plain, replaceReply, sendReply } from '../render/index.ts';
import type { Reply } from '../render/index.ts';
import { createTurn, errorReply } from './turn.ts';
import type { BotServices, Turn } from './turn.ts';

export const GROUP_REFUSAL =
  'I only work in private chats, to keep your mail private. Open a chat with me and say hello.';
export const RATE_LIMITED =
  'You are sending messages faster than I can answer. Please wait a minute, then ask again.';
export const TEXT_ONLY = 'I can only read text messages. Ask me about your mail or calendar.';

export function notAllowedSentence(telegramUserId: number): string {
  return `This Tidings bot is private. Ask its owner to add your Telegram id ${telegramUserId} to the allowed users.`;
}

export interface UpdateHandlerDeps {
  services: BotServices;
  limiter: RateLimiter;
  allowedUsers: ReadonlySet<string> | null;
  /** Counts updates by kind and outcome; none in tests that do not look. */
  metrics?: Pick<TelegramMetrics, 'telegramUpdates'> | undefined;
}

async function answerMessage(
  turn: Turn,
  text: string,
  command: ParsedCommand | null,
): Promise<Reply> {
  try {
    return command ? await runCommand(turn, command) : await answerText(turn, text);
  } catch (error) {
    return errorReply(turn, error);
  }
}

async function answerButton(turn: Turn, ctx: Context, data: string): Promise<void> {
  const messageId = ctx.callbackQuery?.message?.message_id;
  let toast: string | undefined;
  try {
    const outcome = await pressButton(turn, data);
    toast = outcome.toast;
    await rememberExchange(turn, null);
    if (outcome.reply && outcome.mode === 'replace' && messageId !== undefined) {
      const shown = await replaceReply(turn.api, turn.chatId, messageId, outcome.reply);
      await noteConnectButtons(whereOf(turn), shown, outcome.reply, shown === messageId);
    } else if (outcome.reply) {
      await turn.send(outcome.reply);
    }
  } catch (error) {
    await turn.send(await errorReply(turn, error));
  } finally {
    await ctx.answerCallbackQuery(toast ? { text: toast } : {}).catch(() => {});
  }
}

export function createUpdateHandler(deps: UpdateHandlerDeps): (ctx: Context) => Promise<void> {
  const answer = createAnswer(deps);
  return async (ctx) => {
    let outcome: UpdateOutcome = 'failed';
    try {
      outcome = await answer(ctx);
    } finally {
      countUpdate(deps.metrics, ctx.update, outcome);
    }
  };
}

/** Answers one update; says how it ended. */
function createAnswer(deps: UpdateHandlerDeps): (ctx: Context) => Promise<UpdateOutcome> {
  const { services, limiter, allowedUsers } = deps;
  return async (ctx) => {
    if (!(await services.store.firstSeen(ctx.update.update_id))) return 'ignored';
    const message = ctx.message;
    const query = ctx.callbackQuery;
    const from = ctx.from;
    const chat = ctx.chat ?? query?.message?.chat;
    if ((!message && !query) || !from || from.is_bot) return 'ignored';
    if (!chat) {
      // A button on a message Telegram no longer attaches (too old, or not a chat message).
      if (query) await ctx.answerCallbackQuery({ text: EXPIRED_NOTE }).catch(() => {});
      return 'answered';
    }

    const say = (text: string) =>
      query
        ? ctx.answerCallbackQuery({ text, show_alert: true })
        : sendReply(ctx.api, chat.id, plain(text));

    const command = typeof message?.text === 'string' ? parseCommand(message.text) : null;
    // "/start@other_bot" is for another bot: not a word from us, wherever it was written.
    if (command && forAnotherBot(command, ctx.me.username)) return 'ignored';
    if (chat.type !== 'private') {
      if (!query && !command) return 'ignored';
      await say(GROUP_REFUSAL);
      return 'refused';
    }
    const decision = limiter.check(String(from.id));
    if (decision !== 'allow') {
      if (decision === 'limit_notify') {
        await say(RATE_LIMITED);
        return 'refused';
      }
      if (query) await ctx.answerCallbackQuery().catch(() => {});
      return 'ignored';
    }
    if (allowedUsers && !allowedUsers.has(String(from.id))) {
      await say(notAllowedSentence(from.id));
      return 'refused';
    }

    let turn: Turn;
    try {
      let user = await services.frontDoor.users.ensureTelegramUser(
        String(from.id),
        from.first_name,
      );
      const locale = localeOf(from.language_code);
      if (locale && locale !== user.locale) {
        user = await services.frontDoor.users.update(user.id, { locale });
      }
      turn = createTurn(services, ctx.api, user, chat.id);
    } catch (error) {
      services.logger.error({ err: error }, 'could not find the Telegram user');
      await say(UNEXPECTED_SENTENCE);
      return 'failed';
    }
    if (query) {
      await answerButton(turn, ctx, query.data ?? '');
      return 'answered';
    }
    if (typeof message?.text !== 'string') {
      await turn.send(plain(TEXT_ONLY));
      return 'answered';
    }
    const reply = await answerMessage(turn, message.text, command);
    await rememberExchange(turn, message.text, command ? `Answered /${command.name}.` : undefined);
    await turn.send(reply);
    return 'answered';
  };
}
