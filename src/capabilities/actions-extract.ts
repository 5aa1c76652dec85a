/**
 * `actions.extract`: action items from recent mail that is unread, important or starred.
 * One Gmail query, one batch of full gets (large bodies fetched), then the rules of
 * `action-rules.ts`; sorted by due date (undated last), then newest first. Only asks that
 * can still be acted on at the context's clock are items: one whose deadline has passed,
 * or an RSVP for an event already begun, is left out. Subjects come without their
 * "Re:"/"Fwd:" prefixes.
 */
import { z } from 'zod';
import { decodeMessage, withLargeBodies } from '../google/index.ts';
import type { GmailMessage } from '../google/index.ts';
import { findActions, isOpen } from './action-rules.ts';
import { defineCapability } from './define-capability.ts';
import { AddressSchema, messageDate, messageLink, normaliseSubject } from './mail-shapes.ts';
import { resolveTimeZone } from './user-zone.ts';

const ActionSchema = z.object({
  messageId: z.string(),
  from: AddressSchema.nullable(),
  subject: z.string().describe('the subject without its "Re:", "Fwd:"… prefixes'),
  date: z.string().nullable(),
  ask: z.string(),
  due: z.string().nullable().describe('ISO date-time in the user zone'),
  dueText: z.string().nullable(),
  why: z.string(),
  link: z.string(),
});

type ActionItem = z.infer<typeof ActionSchema>;

/** The asks of one message still open at `now`, with what they sort by. */
function openItems(
  message: GmailMessage,
  zone: string,
  mailbox: string,
  now: Date,
): Array<{ sortDue: number; sortDate: number; item: ActionItem }> {
  const decoded = decodeMessage(message, { maxChars: 20_000 });
  const sent = decoded.receivedAt ?? now;
  const open = findActions(decoded.subject, decoded.body, sent, zone).filter((match) =>
    isOpen(match, now),
  );
  return open.map((match) => ({
    sortDue: match.deadline?.due.toMillis() ?? Number.POSITIVE_INFINITY,
    sortDate: sent.getTime(),
    item: {
      messageId: decoded.id,
      from: decoded.from,
      subject: normaliseSubject(decoded.subject),
      date: messageDate(message, decoded.headers.date, zone),
      ask: match.ask,
      due: match.deadline
        ? (match.deadline.due.toISO({ suppressMilliseconds: true }) ?? null)
        : null,
      dueText: match.deadline?.dueText ?? null,
      why: match.deadline
        ? `${match.rule.label}; deadline "${match.deadline.dueText}"`
        : match.rule.label,
      link: messageLink(mailbox, decoded.id),
    },
  }));
}

export const actionsExtract = defineCapability({
  name: 'actions.extract',
  title: 'Action items from recent mail',
  description:
    'Things the user is asked to do, found in recent unread, important or starred mail: the ' +
    'sentence that asks, who asks, and the deadline if one is given ("by Friday" → end of that ' +
    'day in the user\'s zone). Deterministic pattern matching ("please…", "could you…", "need ' +
    'you to…", "let me know…", RSVP, reminders of something due); `why` names the rule that matched. ' +
    'Asks whose deadline has passed, and RSVPs for events already begun, are left out.',
  scope: 'gmail',
  input: z.strictObject({
    days: z.number().int().min(1).max(30).default(7),
    limit: z.number().int().min(1).max(50).default(20),
  }),
  output: z.object({ timeZone: z.string(), actions: z.array(ActionSchema) }),
  async handler(ctx, input) {
    const [zone, profile, page] = await Promise.all([
      resolveTimeZone(ctx),
      ctx.google.gmail.getProfile(),
      ctx.google.gmail.listMessagesWith(
        {
          q: `newer_than:${input.days}d (is:unread OR is:important OR is:starred) -in:sent -in:drafts`,
          maxResults: 40,
        },
        { format: 'full' },
      ),
    ]);
    const now = ctx.now();
    const since = now.getTime() - input.days * 86_400_000;
    const recent = page.messages.filter(
      (m) => Number(m.internalDate ?? Number.NaN) >= since || m.internalDate === undefined,
    );
    const messages = await Promise.all(recent.map((m) => withLargeBodies(ctx.google.gmail, m)));
    const actions = messages
      .flatMap((message) => openItems(message, zone, profile.emailAddress, now))
      .sort((a, b) => a.sortDue - b.sortDue || b.sortDate - a.sortDate)
      .slice(0, input.limit)
      .map((a) => a.item);
    return { timeZone: zone, actions };
  },
});
