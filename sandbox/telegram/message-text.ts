/**
 * From what a bot (or a user) writes to what a message holds: parse mode, trimming,
 * the empty and too-long checks, and the entities Telegram detects by itself (bot
 * commands, URLs, @mentions) in every message text.
 */
import { badRequest } from './bot-api-error.ts';
import { parseHtml, sortEntities } from './html-entities.ts';
import type { FormattedText } from './html-entities.ts';
import type { TgMessageEntity } from './types.ts';

export const MAX_MESSAGE_LENGTH = 4096;

export interface BotText extends FormattedText {
  /** The text as sent, when it was HTML. */
  html?: string;
}

/**
 * Validates and parses a bot's message text. `explicitEntities` is the `entities`
 * parameter, used only without a parse mode (as Telegram does).
 */
export function formatBotText(
  raw: string | undefined,
  parseMode: string | undefined,
  explicitEntities: unknown,
): BotText {
  if (raw === undefined || raw === '') throw badRequest('message text is empty');
  const mode = parseMode?.toLowerCase() ?? '';
  let formatted: FormattedText;
  if (mode === 'html') {
    formatted = parseHtml(raw);
  } else if (mode === '' || mode === 'markdown' || mode === 'markdownv2') {
    formatted = { text: raw, entities: mode === '' ? readEntities(explicitEntities) : [] };
  } else {
    throw badRequest('unsupported parse_mode');
  }
  const trimmed = trimFormatted(formatted);
  if (trimmed.text === '') throw badRequest('message text is empty');
  if (trimmed.text.length > MAX_MESSAGE_LENGTH) throw badRequest('message is too long');
  const result: BotText = { text: trimmed.text, entities: withDetected(trimmed) };
  if (mode === 'html') result.html = raw;
  return result;
}

/** A user's text with the entities Telegram would detect in it. */
export function formatUserText(text: string): FormattedText {
  const trimmed = trimFormatted({ text, entities: [] });
  return { text: trimmed.text, entities: withDetected(trimmed) };
}

function readEntities(value: unknown): TgMessageEntity[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest("can't parse entities JSON object");
  return value.map((entity) => {
    const e = entity as Partial<TgMessageEntity> | null;
    if (
      !e ||
      typeof e.type !== 'string' ||
      !Number.isInteger(e.offset) ||
      !Number.isInteger(e.length)
    ) {
      throw badRequest('can\'t parse MessageEntity: field "type" must be of type String');
    }
    return { ...(e as TgMessageEntity) };
  });
}

/** Strips leading and trailing whitespace and moves or clips the entities with it. */
function trimFormatted({ text, entities }: FormattedText): FormattedText {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const kept: TgMessageEntity[] = [];
  for (const entity of entities) {
    const start = Math.max(0, entity.offset - lead);
    const end = Math.min(trimmed.length, entity.offset + entity.length - lead);
    if (end > start) kept.push({ ...entity, offset: start, length: end - start });
  }
  return { text: trimmed, entities: kept };
}

const DETECTORS: { type: string; pattern: RegExp }[] = [
  {
    type: 'bot_command',
    pattern: /(?<![\w/@])\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])/g,
  },
  { type: 'url', pattern: /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'’]/g },
  { type: 'mention', pattern: /(?<![\w@/])@[A-Za-z0-9_]{5,32}(?!\w)/g },
];
const OPAQUE = new Set(['code', 'pre', 'text_link', 'url', 'bot_command', 'mention']);

function withDetected({ text, entities }: FormattedText): TgMessageEntity[] {
  const all = [...entities];
  for (const { type, pattern } of DETECTORS) {
    for (const match of text.matchAll(pattern)) {
      const offset = match.index;
      const end = offset + match[0].length;
      const clash = all.some(
        (e) => OPAQUE.has(e.type) && e.offset < end && offset < e.offset + e.length,
      );
      if (!clash) all.push({ type, offset, length: match[0].length });
    }
  }
  return sortEntities(all);
}
