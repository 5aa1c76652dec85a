/**
 * The model path against the real parts: Tidings started with `startApp` on a test
 * database, the seeded Google sandbox with Alex (alex@example.com) and Sam
 * (sam@example.com) connected as two Tidings users, and the scripted model sandbox over
 * HTTP with a bearer key. `assistantFor` builds an assistant on the app's own front door
 * with a logger whose lines the test reads.
 */
import { Writable } from 'node:stream';
import { DateTime } from 'luxon';
import { type ModelSandbox, startModelSandbox } from '../../sandbox/llm/index.ts';
import {
  type Assistant,
  type AssistantRequest,
  createAssistant,
} from '../../src/assistant/index.ts';
import type { LlmSettings } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import type { TestDatabase } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

export const MODEL_KEY = 'sk-sandbox-test-7f3a9c1e5b2d4f60';
/** Alex's zone at Google (seed.json): the seeded calendar's days are days there. */
export const ALEX_ZONE = 'America/New_York';

export interface ModelStack {
  stack: Stack;
  model: ModelSandbox;
  alex: { userId: string; connectionId: string };
  sam: { userId: string; connectionId: string };
  /** An assistant with these settings over the app's front door; `logs` collects its lines. */
  assistantFor(settings?: Partial<LlmSettings>): { assistant: Assistant; logs: string[] };
  /** A question from Alex, asked now in Alex's zone. */
  ask(question: string, extra?: Partial<AssistantRequest>): AssistantRequest;
  /** Puts a message into a sandbox mailbox (raw RFC 822, imported as unread in the inbox). */
  deliver(email: string, raw: string): Promise<void>;
  close(): Promise<void>;
}

async function connected(stack: Stack, name: string, email: string) {
  const user = await stack.app.parts.frontDoor.users.create({ displayName: name });
  const browser = await connectWithAutoApprove(stack, user.id, email);
  if (browser.status !== 200) throw new Error(`connecting ${email} failed: ${browser.status}`);
  const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
  if (!connection) throw new Error(`${email} has no connection`);
  return { userId: user.id, connectionId: connection.id };
}

export async function startModelStack(database: TestDatabase): Promise<ModelStack> {
  const stack = await startStack(database);
  const model = await startModelSandbox({ mode: 'cooperative', apiKey: MODEL_KEY });
  const alex = await connected(stack, 'Alex', 'alex@example.com');
  const sam = await connected(stack, 'Sam', 'sam@example.com');
  const settings: LlmSettings = {
    baseUrl: model.url,
    model: 'tidings-scripted',
    apiKey: MODEL_KEY,
    maxSteps: 4,
    timeoutMs: 20_000,
    maxOutputTokens: 800,
  };
  return {
    stack,
    model,
    alex,
    sam,
    assistantFor(overrides = {}) {
      const logs: string[] = [];
      const logger = createLogger(
        'debug',
        new Writable({
          write(chunk, _encoding, done) {
            logs.push(String(chunk));
            done();
          },
        }),
      );
      const assistant = createAssistant({
        settings: { ...settings, ...overrides },
        frontDoor: stack.app.parts.frontDoor,
        logger,
      });
      return { assistant, logs };
    },
    ask(question, extra = {}) {
      return {
        userId: alex.userId,
        question,
        zone: ALEX_ZONE,
        locale: 'en-US',
        now: new Date(),
        history: [],
        ...extra,
      };
    },
    async deliver(email, raw) {
      const response = await fetch(
        `${stack.google.url}/__sandbox/users/${encodeURIComponent(email)}/messages?labelIds=INBOX,UNREAD`,
        { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: raw },
      );
      if (!response.ok) throw new Error(`delivering mail failed: ${response.status}`);
    },
    async close() {
      await model.close();
      await stack.close();
    },
  };
}

/** Tomorrow's date in Alex's zone, as the agenda and free/busy tools are asked for it. */
export function tomorrowInAlexZone(): string {
  return DateTime.now().setZone(ALEX_ZONE).plus({ days: 1 }).toISODate() ?? '';
}
