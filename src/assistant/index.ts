/**
 * The assistant: the optional model path for questions the intent router cannot place.
 * `createAssistant` answers with Telegram HTML that is safe to send, or throws
 * `AssistantUnavailable`; without LLM settings there is no assistant at all. Imports
 * `capabilities/`, `front-door/` (its contract and tool catalogue), `connections/`
 * (types), `agent-tools/`, `common/`, `config.ts` (the settings' type), `errors.ts`,
 * `log.ts` and the AI SDK; the bot imports it, nothing here imports the bot.
 */
export { type AssistantDeps, createAssistant, offeredTools } from './assistant.ts';
export {
  type Assistant,
  type AssistantAnswer,
  type AssistantRequest,
  AssistantUnavailable,
  type HistoryEntry,
  type ToolCallRecord,
  type UnavailableReason,
} from './contract.ts';
export { replyHtml } from './reply-html.ts';
