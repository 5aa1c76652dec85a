/**
 * Asking for new-mail alerts in words: "tell me when Alice writes" (a watch on mail from
 * her), "alert me about mail about the invoice" (a watch on the word, anywhere in the
 * message, as Gmail searches a bare word), "what am I watching" and "stop watching alice".
 * Queries are built only from sanitized tokens and the router's own `from:` operator.
 */
import type { Intent } from './intent.ts';
import { safeTokens } from './mail-query.ts';

/** At most this many words name a sender or a topic. */
const MAX_WORDS = 4;
const FILLER = new Set(['the', 'a', 'an', 'my', 'our', 'any', 'some', 'new', 'mr', 'mrs', 'ms']);

const LIST =
  /^(?:what (?:am i|are you) watching(?: for)?|what(?:'s| is| are) (?:my )?(?:watch(?:es)?|(?:mail |new[- ]mail |e-?mail )?alerts?)|(?:list|show)(?: me)? (?:my )?(?:watch(?:es)?|(?:mail |new[- ]mail |e-?mail )?alerts?)|my (?:watches|(?:mail |new[- ]mail )?alerts))$/;
const REMOVE =
  /^(?:please )?(?:stop|quit|no longer|don'?t keep|do not keep) (?:watching(?: for)?|alerting me (?:about|when|of)|telling me (?:when|about)|notifying me (?:about|when|of)) (.+)$|^(?:unwatch|remove (?:the |my )?(?:watch|alert) (?:on|for|about)) (.+)$/;
const ASK = `(?:please )?(?:tell|notify|alert|ping|warn|let) me(?: know)?`;
const SENDER = new RegExp(
  `^${ASK} (?:when(?:ever)?|if|as soon as|once) (.+?) (?:writes|emails|e-?mails me|mails me|messages me|writes to me|writes me|replies|gets in touch|sends (?:me )?(?:an? |any )?(?:e-?mail|mail|message)s?)$`,
);
const FROM = new RegExp(
  `^${ASK} (?:about|of|when(?:ever)? (?:i get|there is|there's)) (?:any |new |an? )*(?:e-?mails?|mails?|messages?) from (.+)$|^watch (?:for )?(?:new )?(?:e-?mails?|mails?|messages?) from (.+)$`,
);
const TOPIC = new RegExp(
  `^${ASK} (?:about|of|when(?:ever)? (?:i get|there is|there's)) (?:any |new |an? )*(?:e-?mails?|mails?|messages?) (?:about|regarding|on|mentioning|with) (.+)$|^watch (?:for )?(?:new )?(?:e-?mails?|mails?|messages?) (?:about|regarding|mentioning) (.+)$`,
);

/** The words that name something, without filler; null when none or too many. */
function words(text: string): string[] | null {
  const found = safeTokens(text).filter((w) => !FILLER.has(w));
  return found.length > 0 && found.length <= MAX_WORDS ? found : null;
}

function senderQuery(text: string): string | null {
  const found = words(text);
  if (!found) return null;
  return found.length === 1 ? `from:${found[0]}` : `from:"${found.join(' ')}"`;
}

function topicQuery(text: string): string | null {
  const found = words(text);
  if (!found) return null;
  return found.length === 1 ? (found[0] ?? null) : `"${found.join(' ')}"`;
}

/** The watch a message asks about; null when it asks about none. `t`: normalised, no end punctuation. */
export function readWatchPhrase(t: string): Intent | null {
  if (LIST.test(t)) return { kind: 'watch_list' };
  const remove = REMOVE.exec(t);
  if (remove) {
    const found = words(remove[1] ?? remove[2] ?? '');
    return found ? { kind: 'watch_remove', target: found.join(' ') } : { kind: 'watch_list' };
  }
  const sender = SENDER.exec(t) ?? FROM.exec(t);
  if (sender) {
    const query = senderQuery(sender[1] ?? sender[2] ?? '');
    return query ? { kind: 'watch_create', query } : null;
  }
  const topic = TOPIC.exec(t);
  if (topic) {
    const query = topicQuery(topic[1] ?? topic[2] ?? '');
    return query ? { kind: 'watch_create', query } : null;
  }
  return null;
}
