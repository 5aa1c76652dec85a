/**
 * What the chat asks of the optional model path, and what it gets back. The bot hands a
 * question the intent router could not place to an `Assistant`; the assistant answers
 * with Telegram HTML that is safe to send as it is, or throws `AssistantUnavailable`, and
 * the bot falls back to the router's answer with a short note. Without LLM settings there
 * is no assistant at all.
 */

/** One earlier exchange of the chat, oldest first: the user's words, or what was shown. */
export interface HistoryEntry {
  role: 'user' | 'assistant';
  text: string;
}

export interface AssistantRequest {
  /** The Tidings user asking: every tool runs for them and on their connections only. */
  userId: string;
  /** Their message, as typed. */
  question: string;
  /** Their IANA time zone and BCP 47 locale, and the current instant. */
  zone: string;
  locale: string;
  now: Date;
  /** The chat's recent context (kept briefly), oldest first. */
  history: readonly HistoryEntry[];
  /** Aborted when the chat no longer waits (shutdown). */
  signal?: AbortSignal;
}

/** A tool the model asked for, and what Tidings did with it. */
export interface ToolCallRecord {
  name: string;
  args: unknown;
  /** `ran`: answered from the user's data; `refused`: blocked by policy; `failed`: an error code. */
  outcome: 'ran' | 'refused' | 'failed';
  /** The stable error code or refusal reason, when not `ran`. */
  code?: string;
}

export interface AssistantAnswer {
  /** Valid Telegram HTML; links only to URLs found in the user's own data this turn. */
  html: string;
  toolCalls: ToolCallRecord[];
}

export type UnavailableReason = 'timeout' | 'model_error' | 'no_answer' | 'step_limit';

/** The model did not give a usable answer; the bot answers without it. */
export class AssistantUnavailable extends Error {
  readonly reason: UnavailableReason;
  constructor(reason: UnavailableReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AssistantUnavailable';
    this.reason = reason;
  }
}

export interface Assistant {
  /** The model's name, for logs and `/privacy`. */
  readonly model: string;
  /** Where the model runs (the host of its URL), for `/privacy`. */
  readonly host: string;
  answer(request: AssistantRequest): Promise<AssistantAnswer>;
}
