/**
 * The assistant: the optional model path for questions the intent router cannot place.
 * `createAssistant` answers with Telegram HTML that is safe to send, or throws
 * `AssistantUnavailable`; without LLM settings there is no assistant at all. Imports
 * `capabilities/`, `front-door/` (its contract and tool catalogue), `connections/`
 * (types), `agent-tools/`, `common/`, `config.ts` (the settings' type), `errors.ts`,
 * `log.ts` and the AI SDK (loaded at the first question); the bot imports it, nothing here
 * imports the bot.
 */
import type { AssistantDeps } from './assistant.ts';
import type { Assistant } from './contract.ts';

export type { AssistantDeps } from './assistant.ts';
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

/**
 * The assistant, with the AI SDK and the model provider (tens of megabytes, a few hundred
 * milliseconds to load) imported when the first question reaches the model: a server whose
 * chats never need the model never loads them.
 */
export function createAssistant(deps: AssistantDeps): Assistant {
  let loaded: Promise<Assistant> | null = null;
  return {
    model: deps.settings.model,
    host: new URL(deps.settings.baseUrl).host,
    answer(request) {
      loaded ??= import('./assistant.ts').then((module) => module.createAssistant(deps));
      return loaded.then((assistant) => assistant.answer(request));
    },
  };
}
