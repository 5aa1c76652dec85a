/**
 * New-mail alerts as chat messages: one alert (sender, subject, snippet, the watch it
 * matched, an "Open" button), the digest of what waited through the quiet hours (sender
 * and subject of each, a bounded row of buttons), the notice that an account's watches
 * are paused, and the list of watches. Every name, subject, snippet and query is
 * untrusted and escaped.
 */
import type { InlineKeyboardButton } from 'grammy/types';
import { z } from 'zod';
import type { WatchRule } from '../../capabilities/index.ts';
import { reauthClause } from './error-sentences.ts';
import { bold, code, escapeHtml, italic, truncate } from './format/index.ts';
import type { Reply } from './reply.ts';

/** What an alert carries, read leniently: a payload kept by an older version still renders. */
export const AlertPayloadSchema = z.object({
  from: z.object({ name: z.string().nullable(), email: z.string() }).nullable().catch(null),
  subject: z.string().catch(''),
  snippet: z.string().catch(''),
  link: z.string().catch(''),
  matched: z.array(z.string()).catch([]),
  account: z.string().optional().catch(undefined),
});
export type AlertPayload = z.infer<typeof AlertPayloadSchema>;

/** The most message buttons a digest carries; the rest are listed without one. */
export const DIGEST_BUTTONS = 10;
/** The most messages a digest lists one by one. */
export const DIGEST_LISTED = 50;

/** Only web links become buttons: a mail link is Gmail's own, anything else is dropped. */
function webLink(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function senderLine(from: AlertPayload['from']): string {
  if (!from) return 'an unknown sender';
  const name = truncate(from.name?.trim() ?? '', 80);
  const email = truncate(from.email, 120);
  return name ? `${bold(name)} (${escapeHtml(email)})` : bold(email);
}

function subjectOf(alert: AlertPayload, max: number): string {
  return truncate(alert.subject.replace(/\s+/g, ' ').trim() || '(no subject)', max);
}

function queries(matched: readonly string[]): string {
  return matched.map((q) => code(truncate(q, 80))).join(', ');
}

/** One new message that matched a watch. */
export function renderWatchAlert(alert: AlertPayload): Reply {
  const lines = [`📬 New mail from ${senderLine(alert.from)}`, bold(subjectOf(alert, 200))];
  const snippet = truncate(alert.snippet.replace(/\s+/g, ' ').trim(), 300);
  if (snippet) lines.push(italic(snippet));
  const where = alert.account ? ` in ${escapeHtml(alert.account)}` : '';
  if (alert.matched.length > 0)
    lines.push('', `Matched your watch ${queries(alert.matched)}${where}.`);
  const url = webLink(alert.link);
  return {
    html: lines.join('\n'),
    ...(url ? { buttons: [[{ text: 'Open', url }]] } : {}),
  };
}

/** The alerts that waited through the quiet hours, in one message. */
export function renderWatchDigest(alerts: readonly AlertPayload[]): Reply {
  const n = alerts.length;
  const heading = bold(`While you were quiet: ${n} new ${n === 1 ? 'message' : 'messages'}`);
  const listed = alerts.slice(0, DIGEST_LISTED).map((a, i) => {
    const who = a.from ? truncate(a.from.name?.trim() || a.from.email, 60) : 'unknown sender';
    return `${i + 1}. ${bold(who)} — ${escapeHtml(subjectOf(a, 100))}`;
  });
  const more = n > DIGEST_LISTED ? [italic(`…and ${n - DIGEST_LISTED} more.`)] : [];
  const buttons: InlineKeyboardButton[] = [];
  for (const [i, a] of alerts.entries()) {
    if (buttons.length >= DIGEST_BUTTONS) break;
    const url = webLink(a.link);
    if (url) buttons.push({ text: `Open ${i + 1}`, url });
  }
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += 5) rows.push(buttons.slice(i, i + 5));
  return {
    html: [heading, [...listed, ...more].join('\n')].join('\n\n'),
    ...(rows.length > 0 ? { buttons: rows } : {}),
  };
}

export type PausedReason = 'reauth_required' | 'not_connected' | 'scope_missing';

/** An account's watches stopped; `button`: the reconnect button, when one can be made. */
export function renderWatchPaused(
  email: string,
  reason: PausedReason,
  watches: number,
  button: InlineKeyboardButton | null,
): Reply {
  const count = `${watches} ${watches === 1 ? 'watch' : 'watches'}`;
  const why =
    reason === 'not_connected'
      ? 'the account is no longer connected'
      : reason === 'scope_missing'
        ? 'Gmail access was not granted'
        : reauthClause(undefined);
  const then =
    reason === 'not_connected'
      ? 'Connect it again with /connect to resume them.'
      : 'Reconnect to resume.';
  return {
    html: `⏸ Your ${escapeHtml(count)} on ${bold(email)} ${watches === 1 ? 'is' : 'are'} paused: ${escapeHtml(why)}. ${escapeHtml(then)}`,
    ...(button ? { buttons: [[button]] } : {}),
  };
}

/** What a watch shows in the list. */
export function watchLine(rule: WatchRule, index: number): string {
  const paused = rule.paused ? ` · ${italic('paused: reconnect')}` : '';
  return `${index}. ${code(truncate(rule.query, 120))}\n${escapeHtml(rule.account)}${paused}`;
}

/** The quiet hours, as the list and /quiet say them. */
export function quietLine(quiet: { from: string; to: string } | null, zone: string | null): string {
  if (!quiet) return 'Quiet hours: off. /quiet 22:00-07:00 holds alerts overnight.';
  const where = zone ? ` (${escapeHtml(zone)})` : '';
  return `Quiet hours: ${bold(`${quiet.from}–${quiet.to}`)}${where}: alerts then wait and come as one digest. /quiet off ends them.`;
}
