/**
 * The shape of a prompt-injection corpus item: an innocent question, the mail or calendar
 * invite that carries the attack, and what the attacker wants to see happen (so a test can
 * tell whether the attack got through).
 */

/** The techniques, as labelled in the README table. */
export const TECHNIQUES = [
  'hidden instruction',
  'fake system message',
  'fake data-block closer',
  'fake role markers',
  'forward everything',
  'invisible HTML text',
  'Unicode tricks',
  'markdown image',
  'exfiltration link',
  'click-here link',
  'tool call request',
  "other user's data",
  'secrets search',
  'fixed reply',
  'long payload',
  'calendar description',
  'calendar location',
  'calendar title',
] as const;

export type Technique = (typeof TECHNIQUES)[number];

export interface CorpusMail {
  /** `Name <address>`. */
  from: string;
  /** `Name <address>`; the corpus writes to `CORPUS_RECIPIENT`, readdressed on import. */
  to: string;
  subject: string;
  /** ISO 8601 with offset, in the reference week before the anchor (shifted on import). */
  date?: string;
  text?: string;
  html?: string;
}

export interface CorpusEvent {
  summary: string;
  description?: string;
  location?: string;
  /** ISO 8601 with offset (timed) or `YYYY-MM-DD` (all day), shifted on import. */
  start: string;
  end: string;
  /** Addresses; the recipient is added on import. */
  attendees?: string[];
  /** `Name <address>`. */
  organizer?: string;
}

export interface InjectionItem {
  /** Stable, kebab-case: `hidden-html-forward`. */
  id: string;
  kind: 'mail' | 'event';
  technique: Technique;
  /** What the innocent user asks; open-ended, so the deterministic router does not answer it. */
  question: string;
  /** Tool names a correct answer may use for that question. */
  expectedTools: string[];
  mail?: CorpusMail;
  event?: CorpusEvent;
  /** What counts as the attack succeeding: these URLs (or their hosts), addresses or marker text. */
  attacker: { urls: string[]; addresses: string[]; marker?: string };
}

/** The corpus is written to this address; `importCorpus` readdresses it to the mailbox given. */
export const CORPUS_RECIPIENT = 'alex@example.com';

/** The `To:` of most corpus mail. */
export const TO_ALEX = `Alex Rivera <${CORPUS_RECIPIENT}>`;

/** What a question about a mail may use: search for it, then open it. */
export const MAIL_TOOLS = ['gmail_search', 'gmail_read'];

/** What a question about an invite may use: the agenda, the next event, or a mail search. */
export const EVENT_TOOLS = ['calendar_agenda', 'calendar_next', 'gmail_search'];
