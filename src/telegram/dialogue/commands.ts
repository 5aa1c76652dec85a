/**
 * Slash commands: reads `/name@bot argument` and runs the matching handler. An unknown
 * command gets a pointer to /help rather than silence. The day a calendar command asks
 * about is noted for the follow-ups after it ("and friday?").
 */
import { parseDayArg, parseWhenArg } from '../../intent/index.ts';
import { escapeHtml } from '../render/index.ts';
import {
  accountsCommand,
  connectCommand,
  disconnectCommand,
  startCommand,
} from './account-handlers.ts';
import { actionsReply } from './briefing.ts';
import { agendaCommand, freeCommand, nextCommand, routeContext } from './calendar-handlers.ts';
import { helpReply, privacyReply } from '../render/index.ts';
import { inboxCommand, unreadCommand } from './mail-handlers.ts';
import type { Reply } from '../render/index.ts';
import { CHAT_CONTEXT_TTL_MS } from '../store/index.ts';
import { briefingCommand, timezoneCommand } from './settings-handlers.ts';
import type { Turn } from './turn.ts';
import { quietCommand, watchCommand, watchesCommand } from './watch-handlers.ts';
import { watchList } from '../../capabilities/index.ts';
import { isTidingsError } from '../../errors.ts';

/** The user's watch rules, for the privacy statement; null when they cannot be read now. */
async function storedWatches(
  turn: Turn,
): Promise<Array<{ query: string; account: string }> | null> {
  try {
    return (await turn.run(watchList, {})).watches;
  } catch (error) {
    if (isTidingsError(error)) return null;
    throw error;
  }
}

type Handler = (turn: Turn, arg: string) => Promise<Reply>;

/** `/today`, `/tomorrow`, `/week` and `/agenda <day>`, with the day noted. */
async function agendaAsked(turn: Turn, arg: string): Promise<Reply> {
  const range = parseDayArg(arg, await routeContext(turn));
  if (range) turn.notes.range = { ...range, asked: 'agenda' };
  return agendaCommand(turn, arg);
}

/** `/free <when>`, with the day noted. */
async function freeAsked(turn: Turn, arg: string): Promise<Reply> {
  const intent = parseWhenArg(arg, await routeContext(turn));
  if (intent?.kind === 'free_slots') {
    turn.notes.range = { from: intent.from, to: intent.to, label: intent.label, asked: 'free' };
  } else if (intent) {
    turn.notes.range = { from: intent.at, to: intent.at, label: intent.label, asked: 'free' };
  }
  return freeCommand(turn, arg);
}

const HANDLERS: Readonly<Record<string, Handler>> = {
  start: startCommand,
  help: async () => helpReply(),
  connect: connectCommand,
  accounts: accountsCommand,
  disconnect: disconnectCommand,
  inbox: inboxCommand,
  unread: unreadCommand,
  today: (turn) => agendaAsked(turn, 'today'),
  tomorrow: (turn) => agendaAsked(turn, 'tomorrow'),
  week: (turn) => agendaAsked(turn, 'this week'),
  agenda: agendaAsked,
  free: freeAsked,
  next: nextCommand,
  actions: (turn) => actionsReply(turn, 7, 'the last 7 days'),
  briefing: briefingCommand,
  timezone: timezoneCommand,
  watch: watchCommand,
  watches: watchesCommand,
  quiet: quietCommand,
  privacy: async (turn) => {
    const assistant = turn.services.assistant;
    return privacyReply(
      Math.round(CHAT_CONTEXT_TTL_MS / 60_000),
      assistant ? { name: assistant.model, host: assistant.host } : null,
      await storedWatches(turn),
    );
  },
};

export interface ParsedCommand {
  name: string;
  arg: string;
  /** The bot named after `@`, when the command names one. */
  to: string | null;
}

/** `/agenda@tidings_bot friday` → { name: 'agenda', arg: 'friday', to: 'tidings_bot' }; null for plain text. */
export function parseCommand(text: string): ParsedCommand | null {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match?.[1]) return null;
  return {
    name: match[1].toLowerCase(),
    arg: (match[3] ?? '').slice(0, 500),
    to: match[2] ?? null,
  };
}

/** True for a command addressed to another bot ("/start@other_bot"): not ours to answer. */
export function forAnotherBot(command: ParsedCommand, ownUsername: string): boolean {
  return command.to !== null && command.to.toLowerCase() !== ownUsername.toLowerCase();
}

export function runCommand(turn: Turn, command: ParsedCommand): Promise<Reply> {
  const handler = Object.hasOwn(HANDLERS, command.name) ? HANDLERS[command.name] : undefined;
  if (!handler) {
    return Promise.resolve({
      html: `I do not know /${escapeHtml(command.name)}. /help lists what I can do.`,
    });
  }
  return handler(turn, command.arg);
}
