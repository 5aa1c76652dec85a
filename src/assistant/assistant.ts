/**
 * The optional model path: a question the intent router could not place goes to an
 * OpenAI-compatible chat model (Ollama, vLLM, llama.cpp's server, hosted APIs) with
 * Tidings' read-only tools, through the AI SDK. Bounded: at most `maxSteps` model calls
 * (the last one is offered no tools, so it must answer), `maxOutputTokens` per call, one
 * retry of a failed call, and `timeoutMs` for the whole answer (combined with the
 * caller's signal). The defences do not rely on the model behaving: every call passes
 * `tool-turn.ts` (offered tools only, schemas, own connections, provenance), and the
 * answer passes `reply-html.ts` (links only to the data's own URLs).
 *
 * Logs carry the model's name, the outcome and counts: never the question, the data, the
 * answer or the API key.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import {
  generateText,
  isStepCount,
  type JSONSchema7,
  jsonSchema,
  NoSuchToolError,
  type StepResult,
  type ToolSet,
  tool,
} from 'ai';
import type { ToolDefinition } from '../agent-tools/index.ts';
import type { LlmSettings } from '../config.ts';
import { toolCatalogue } from '../front-door/index.ts';
import type { Logger } from '../log.ts';
import {
  type Assistant,
  type AssistantAnswer,
  type AssistantRequest,
  AssistantUnavailable,
} from './contract.ts';
import { conversationOf, instructionsFor } from './instructions.ts';
import { replyHtml } from './reply-html.ts';
import type { AssistantFrontDoor } from './tool-backend.ts';
import { createToolTurn, type ReportedCall, type ToolTurn } from './tool-turn.ts';
import { failureFields, stepLimit, unavailableOf } from './unavailable.ts';

export interface AssistantDeps {
  settings: LlmSettings;
  frontDoor: AssistantFrontDoor;
  logger: Logger;
  now?: () => Date;
  /** The HTTP client for the model server (tests); the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** Model calls retried once at most: a slow model must not get a third try. */
const MAX_RETRIES = 1;

/** Tool calls per answer, refused ones included, per model call allowed. */
const CALLS_PER_STEP = 4;

/** The tools the model is offered: every capability that only reads, and the connections tool; no links. */
export function offeredTools(): ToolDefinition[] {
  // Read-only: a model reads mail, and what mail says must never make it change anything.
  return toolCatalogue().filter((t) => t.target.kind !== 'connect-link' && t.effect === 'reads');
}

function sdkTools(tools: readonly ToolDefinition[], turn: ToolTurn): ToolSet {
  return Object.fromEntries(
    tools.map((definition) => [
      definition.name,
      tool({
        description: definition.description,
        // No validator here: `tool-turn.ts` validates, so a bad call is recorded and refused.
        inputSchema: jsonSchema<unknown>(definition.inputSchema as JSONSchema7),
        execute: (args: unknown, options: { toolCallId: string }) =>
          turn.run(definition.name, args, options.toolCallId),
      }),
    ]),
  );
}

/** Every tool call of the answer, in order, as the library reports it. */
function reportedCalls(steps: ReadonlyArray<StepResult<ToolSet>>): ReportedCall[] {
  return steps.flatMap((step) =>
    step.content.flatMap((part): ReportedCall[] => {
      if (part.type !== 'tool-call') return [];
      const invalid = 'invalid' in part && part.invalid === true;
      const error = 'error' in part ? part.error : undefined;
      return [
        {
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input: part.input,
          ...(invalid ? { invalid: true, unknownTool: NoSuchToolError.isInstance(error) } : {}),
        },
      ];
    }),
  );
}

export function createAssistant(deps: AssistantDeps): Assistant {
  const { settings, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const provider = createOpenAICompatible({
    name: 'llm',
    baseURL: settings.baseUrl,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const model = provider.chatModel(settings.model);
  const tools = offeredTools();
  const lastStep = settings.maxSteps - 1;

  async function generate(request: AssistantRequest, turn: ToolTurn, signal: AbortSignal) {
    return generateText({
      model,
      instructions: instructionsFor(request),
      messages: conversationOf(request.history, request.question),
      tools: sdkTools(tools, turn),
      stopWhen: isStepCount(settings.maxSteps),
      prepareStep: ({ stepNumber }) => {
        turn.beginStep();
        return stepNumber >= lastStep ? { activeTools: [], toolChoice: 'none' as const } : {};
      },
      maxOutputTokens: settings.maxOutputTokens,
      maxRetries: MAX_RETRIES,
      abortSignal: signal,
      onWarning: ({ warnings }) => {
        logger.debug(
          { model: settings.model, warnings: warnings.map((w) => w.type) },
          'model warning',
        );
      },
    });
  }

  /** The model's text as the reply, or why there is none; logged either way. */
  function answerOf(
    result: Awaited<ReturnType<typeof generate>>,
    turn: ToolTurn,
    started: number,
  ): AssistantAnswer {
    const toolCalls = turn.records(reportedCalls(result.steps));
    const html = replyHtml(result.text, turn.links);
    const fields = {
      model: settings.model,
      steps: result.steps.length,
      toolCalls: toolCalls.length,
      refused: toolCalls.filter((c) => c.outcome === 'refused').length,
      ms: now().getTime() - started,
    };
    if (html === '') {
      const limited =
        result.steps.length >= settings.maxSteps && result.finishReason === 'tool-calls';
      const failure = limited
        ? stepLimit(settings.maxSteps)
        : new AssistantUnavailable('no_answer', 'The model gave no answer.');
      logger.warn({ ...fields, reason: failure.reason }, 'assistant unavailable');
      throw failure;
    }
    logger.info(fields, 'assistant answered');
    return { html, toolCalls };
  }

  return {
    model: settings.model,
    host: new URL(settings.baseUrl).host,
    async answer(request): Promise<AssistantAnswer> {
      const started = now().getTime();
      const turn = createToolTurn({
        userId: request.userId,
        frontDoor: deps.frontDoor,
        tools,
        logger,
        maxCalls: settings.maxSteps * CALLS_PER_STEP,
      });
      const timeout = AbortSignal.timeout(settings.timeoutMs);
      const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
      let result: Awaited<ReturnType<typeof generate>>;
      try {
        result = await generate(request, turn, signal);
      } catch (error) {
        const unavailable = unavailableOf(error, {
          timeout,
          timeoutMs: settings.timeoutMs,
          caller: request.signal,
          maxSteps: settings.maxSteps,
        });
        if (!unavailable) throw error;
        logger.warn(
          { model: settings.model, reason: unavailable.reason, ...failureFields(error) },
          'assistant unavailable',
        );
        throw unavailable;
      }
      return answerOf(result, turn, started);
    },
  };
}
