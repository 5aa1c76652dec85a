/**
 * The model sandbox: an offline, scripted stand-in for an OpenAI-compatible chat model
 * (`GET /v1/models`, `POST /v1/chat/completions`, JSON or SSE stream, tool calls), so the
 * optional model path is tested without a real model. Modes:
 * - `cooperative` picks tools by keywords like a good model and summarises the results;
 * - `gullible` fetches the data the same way, then obeys every instruction it reads,
 *   tool results and hidden text included, and reports each attempt;
 * - `failing` answers 500 or breaks off its body; `slow` waits.
 * `startModelSandbox` runs it in-process; `runModelSandboxCli` from a shell
 * (`tidings sandbox llm`). Imports nothing from `src/` or the other sandboxes.
 */
export { startModelSandbox, DEFAULT_MODEL } from './server.ts';
export type { ModelSandbox, ModelSandboxOptions } from './server.ts';
export { runModelSandboxCli, parseModelSandboxArgs, DEFAULT_PORT } from './cli.ts';
export { findInstructions } from './instructions.ts';
export type { Instruction } from './instructions.ts';
export { revealHidden } from './hidden-text.ts';
export { MODEL_MODES, FAILURE_KINDS } from './types.ts';
export type {
  ChatMessage,
  ChatRequest,
  FailureKind,
  GullibleAttempt,
  ModelMode,
  RecordedRequest,
  ToolSpec,
} from './types.ts';
