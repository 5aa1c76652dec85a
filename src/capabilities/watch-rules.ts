/**
 * New-mail alerts as capabilities: `watch.create` (a Gmail query; mail that matches it
 * from now on is announced in the chat), `watch.list` and `watch.remove`. The rules live
 * in Tidings' own database, reached through the `WatchBook` a front door binds to the user
 * (and, for a new rule, to the connection it watches). `watch.scan` is the poll itself and
 * is not offered to agents: from a history id, the inbox mail added since and which rules
 * it matches, with what an alert shows.
 */
import { z } from 'zod';
import { TidingsError } from '../errors.ts';
import type { GmailApi } from '../google/index.ts';
import { type CapabilityContext, defineCapability } from './define-capability.ts';
import { MessageSummarySchema, SUMMARY_HEADERS, toSummary } from './mail-shapes.ts';
import { resolveTimeZone } from './user-zone.ts';
import { type WatchBook, WatchRuleSchema } from './watch-book.ts';

export { type WatchBook, type WatchRule, WatchRuleSchema } from './watch-book.ts';

/** What a watch query may be: one line of Gmail search syntax. */
export const WatchQuerySchema = z
  .string()
  .trim()
  .min(1, 'give a Gmail query, e.g. from:anna@example.com')
  .max(300)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point.
  .refine((q) => !/[\u0000-\u001f\u007f]/.test(q), 'one line, without control characters')
  .describe('Gmail search syntax: from:anna@example.com, subject:invoice, any query');

function bookOf(ctx: CapabilityContext): WatchBook {
  if (!ctx.watches) throw new TidingsError('not_configured', 'Watches are not available here.');
  return ctx.watches;
}

export const watchCreate = defineCapability({
  name: 'watch.create',
  title: 'Alert on new mail',
  description:
    'Watch for new mail: from now on, every new inbox message matching the Gmail query ' +
    '(for example "from:anna@example.com" or "subject:invoice") is announced to the user in ' +
    'Telegram once, with sender, subject and snippet. Mail already there never alerts, nor ' +
    "does the user's own sent mail. Creating the same query again answers the existing rule.",
  scope: 'gmail',
  effect: 'adds',
  input: z.strictObject({ query: WatchQuerySchema }),
  output: z.object({ watch: WatchRuleSchema, created: z.boolean() }),
  async handler(ctx, input) {
    const book = bookOf(ctx);
    const since = await ctx.google.gmail.currentHistoryId();
    const { rule, created } = await book.add(input.query, since);
    return { watch: rule, created };
  },
});

export const watchList = defineCapability({
  name: 'watch.list',
  title: 'New-mail alerts',
  description:
    "The user's new-mail alert rules (watch.create), on every connected account, with " +
    'their ids (for watch.remove) and whether each is paused.',
  scope: 'gmail',
  input: z.strictObject({}),
  bound: 'user',
  output: z.object({ watches: z.array(WatchRuleSchema), limit: z.number() }),
  async handler(ctx) {
    const book = bookOf(ctx);
    return { watches: await book.list(), limit: book.limit };
  },
});

export const watchRemove = defineCapability({
  name: 'watch.remove',
  title: 'Stop a new-mail alert',
  description: 'Removes one new-mail alert rule by its id (from watch.list).',
  scope: 'gmail',
  bound: 'user',
  effect: 'removes',
  input: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a watch id') }),
  output: z.object({ removed: WatchRuleSchema }),
  async handler(ctx, input) {
    const removed = await bookOf(ctx).remove(input.id);
    if (!removed) throw new TidingsError('not_found', 'No such watch.');
    return { removed };
  },
});

/** The most history records one scan reads; more than this and it starts again from now. */
const MAX_HISTORY_PAGES = 5;
const HISTORY_PAGE = 500;
/** Mail in these is never announced: the user's own, or not in the inbox. */
const NEVER = ['SENT', 'DRAFT', 'SPAM', 'TRASH'];

const ScanRuleSchema = z.object({
  id: z.string(),
  query: z.string(),
  sinceHistoryId: z.string().regex(/^\d+$/),
});

export const AlertSchema = MessageSummarySchema.extend({
  /** The queries of the rules it matched. */
  matched: z.array(z.string()),
});
export type Alert = z.infer<typeof AlertSchema>;

/** Numeric history ids, compared as numbers. */
const above = (id: string, floor: string) => BigInt(id) > BigInt(floor);

interface Added {
  id: string;
  historyId: string;
}

/**
 * Inbox mail added after `start`, newest record last, or null when Gmail no longer has
 * history that old (404) or when more arrived than a scan reads.
 */
async function addedSince(
  gmail: GmailApi,
  start: string,
): Promise<{ added: Added[]; historyId: string } | null> {
  const added = new Map<string, Added>();
  let pageToken: string | undefined;
  let historyId = start;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    let answer: Awaited<ReturnType<GmailApi['listAddedHistory']>>;
    try {
      answer = await gmail.listAddedHistory({
        startHistoryId: start,
        maxResults: HISTORY_PAGE,
        ...(pageToken ? { pageToken } : {}),
      });
    } catch (error) {
      if (error instanceof TidingsError && error.code === 'not_found') return null;
      throw error;
    }
    historyId = answer.historyId;
    for (const record of answer.history ?? []) {
      for (const { message } of record.messagesAdded ?? []) {
        const labels = message.labelIds ?? [];
        if (!labels.includes('INBOX') || labels.some((l) => NEVER.includes(l))) continue;
        if (!added.has(message.id)) added.set(message.id, { id: message.id, historyId: record.id });
      }
    }
    pageToken = answer.nextPageToken;
    if (!pageToken) return { added: [...added.values()], historyId };
  }
  return null;
}

/** How many of a rule's newest matches are compared with the new mail. */
const MATCHES_PER_RULE = 50;

export const watchScan = defineCapability({
  name: 'watch.scan',
  title: 'Scan for new mail',
  description: 'Internal: the new inbox mail since a history id that matches watch rules.',
  scope: 'gmail',
  input: z.strictObject({
    startHistoryId: z.string().regex(/^\d+$/),
    rules: z.array(ScanRuleSchema).min(1).max(100),
  }),
  output: z.object({
    /** Where the next scan starts. */
    historyId: z.string(),
    /** True when the history was gone or too long: nothing was announced, the scan restarts now. */
    restarted: z.boolean(),
    alerts: z.array(AlertSchema),
  }),
  async handler(ctx, input) {
    const gmail = ctx.google.gmail;
    const since = await addedSince(gmail, input.startHistoryId);
    if (since === null) {
      return { historyId: await gmail.currentHistoryId(), restarted: true, alerts: [] };
    }
    if (since.added.length === 0) {
      return { historyId: since.historyId, restarted: false, alerts: [] };
    }
    const newIds = new Map(since.added.map((m) => [m.id, m]));
    const matched = new Map<string, string[]>();
    const found = new Map<string, Parameters<typeof toSummary>[0]>();
    for (const rule of input.rules) {
      const fresh = since.added.filter((m) => above(m.historyId, rule.sinceHistoryId));
      if (fresh.length === 0) continue;
      const page = await gmail.listMessagesWith(
        { q: rule.query, maxResults: MATCHES_PER_RULE },
        { format: 'metadata', metadataHeaders: SUMMARY_HEADERS },
      );
      for (const message of page.messages) {
        const added = newIds.get(message.id);
        if (!added || !above(added.historyId, rule.sinceHistoryId)) continue;
        found.set(message.id, message);
        matched.set(message.id, [...(matched.get(message.id) ?? []), rule.query]);
      }
    }
    if (found.size === 0) return { historyId: since.historyId, restarted: false, alerts: [] };
    const [zone, profile] = await Promise.all([resolveTimeZone(ctx), gmail.getProfile()]);
    const alerts = since.added.flatMap(({ id }) => {
      const message = found.get(id);
      if (!message) return [];
      return [{ ...toSummary(message, profile.emailAddress, zone), matched: matched.get(id)! }];
    });
    return { historyId: since.historyId, restarted: false, alerts };
  },
});
