/**
 * A Gmail query from a question, as a sensible model would write one: `from:` for "from
 * X", the topic after "about"/"regarding"/"on", quoted phrases kept, `is:unread` when
 * asked; without any of those, the names and then the longest words of the question.
 */

const STOP = new Set(
  `a about above after again all also am an and any anything are as at be been before being
  between both but by can could did do does doing done for from get got had has have he her
  here him his how i if in into is it its just know latest let like me mail mails email emails
  inbox message messages more most my new no not note notes of on one or our out over please
  read recent regarding said say says sent should show so some something summarise summarize
  tell than that the their them then there these they thing things this those to up us was
  we were what when where which who why will with write wrote would you your open want wants
  need needs anyone there's what's whats really quick quickly exactly`.split(/\s+/),
);

const NAMEISH = /^[A-Z][\w'-]*$/;

function clean(word: string): string {
  return word.replace(/^[^\p{L}\p{N}@]+|[^\p{L}\p{N}]+$/gu, '').replace(/['’]s$/i, '');
}

function sentenceStarts(question: string): Set<number> {
  const starts = new Set<number>([0]);
  for (const match of question.matchAll(/[.!?]\s+/g)) starts.add(match.index + match[0].length);
  return starts;
}

/** Capitalised words not opening a sentence: names of people, companies and things. */
function names(question: string): string[] {
  const starts = sentenceStarts(question);
  const found: string[] = [];
  for (const match of question.matchAll(/\S+/g)) {
    const word = clean(match[0]);
    if (starts.has(match.index) || !NAMEISH.test(word) || word === 'I') continue;
    if (!STOP.has(word.toLowerCase())) found.push(word);
  }
  return found;
}

function keywords(question: string, max: number): string[] {
  const words = question
    .split(/\s+/)
    .map(clean)
    .filter((w) => w.length >= 4 && !STOP.has(w.toLowerCase()));
  return [...new Set(words)].sort((a, b) => b.length - a.length).slice(0, max);
}

function sender(question: string): string | null {
  const match =
    /\b(?:from|by|sender)\s+([\w.+-]+@[\w-]+(?:\.[\w-]+)+|[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?|[\w.-]+)/.exec(
      question,
    );
  const who = match?.[1];
  if (!who || STOP.has(who.toLowerCase())) return null;
  return who.includes(' ') ? `"${who}"` : who;
}

function topic(question: string): string[] {
  const match =
    /\b(?:about|regarding|re|concerning|on)\s+(?:the\s+|my\s+|our\s+|a\s+)?([^?.!,;]+)/i.exec(
      question,
    );
  if (!match?.[1]) return [];
  return match[1]
    .split(/\s+/)
    .map(clean)
    .filter((w) => w !== '' && !STOP.has(w.toLowerCase()))
    .slice(0, 3);
}

/** The Gmail query for a question; may be empty (then every message is listed). */
export function mailQueryFor(question: string): string {
  const parts: string[] = [];
  const quoted = [...question.matchAll(/["“]([^"”]{2,80})["”]/g)].map((m) => `"${m[1]}"`);
  const unquoted = question.replace(/["“][^"”]*["”]/g, ' ');
  const from = sender(unquoted);
  if (from) parts.push(`from:${from}`);
  if (/\bunread\b|\bnew (?:mail|e-?mails?|messages?)\b/i.test(unquoted)) parts.push('is:unread');
  parts.push(...quoted);
  const fromWords = new Set((from ?? '').replace(/"/g, '').split(' '));
  const about = topic(unquoted);
  let terms = [...names(unquoted).filter((w) => !fromWords.has(w) && !about.includes(w)), ...about];
  if (terms.length === 0 && parts.length === 0) terms = keywords(unquoted, 2);
  parts.push(...terms.slice(0, 4));
  return parts.join(' ').slice(0, 500);
}
