import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AssistantUnavailable } from '../../src/assistant/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import {
  ALEX_ZONE,
  MODEL_KEY,
  type ModelStack,
  startModelStack,
  tomorrowInAlexZone,
} from './assistant.harness.ts';

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AssistantUnavailable) return error.reason;
    throw error;
  }
  return 'answered';
}

for (const database of DATABASES) {
  describe(`the model path answers through Tidings' tools on ${database.name}`, () => {
    let env: ModelStack;
    beforeAll(async () => {
      env = await startModelStack(database);
    });
    afterAll(async () => {
      await env?.close();
    });
    beforeEach(() => {
      env.model.mode = 'cooperative';
      env.model.delayMs = null;
      env.model.reset();
    });

    it('finds mail by searching the user’s Gmail', async () => {
      const { assistant } = env.assistantFor();
      const answer = await assistant.answer(
        env.ask('Any mail from Priya about the Lumen pitch deck?'),
      );
      expect(answer.toolCalls.map((c) => [c.name, c.outcome])).toStrictEqual([
        ['gmail_search', 'ran'],
      ]);
      expect(answer.html).toMatch(/^I found \d+ messages?: .*Lumen/);
    });

    it('gives the agenda of a named day in the user’s zone', async () => {
      const { assistant } = env.assistantFor();
      const answer = await assistant.answer(env.ask("What's on my calendar tomorrow?"));
      const tomorrow = tomorrowInAlexZone();
      expect(answer.toolCalls).toStrictEqual([
        {
          name: 'calendar_agenda',
          args: {
            from: expect.stringMatching(new RegExp(`^${tomorrow}T00:00:00[-+]\\d\\d:\\d\\d$`)),
            to: expect.any(String),
          },
          outcome: 'ran',
        },
      ]);
      expect(answer.html).toMatch(/^(You have \d+ events?|Your calendar has no events then)/);
    });

    it('answers "am I free" with free/busy', async () => {
      const { assistant } = env.assistantFor();
      const answer = await assistant.answer(env.ask('Am I free tomorrow afternoon?'));
      expect(answer.toolCalls.map((c) => [c.name, c.outcome])).toStrictEqual([
        ['calendar_freebusy', 'ran'],
      ]);
      expect(answer.html).not.toBe('');
    });

    it('opens a message it found when asked what it says', async () => {
      const { assistant } = env.assistantFor();
      const answer = await assistant.answer(
        env.ask('What does the mail about the Harbor and Pine proofs say?'),
      );
      expect(answer.toolCalls.map((c) => [c.name, c.outcome])).toStrictEqual([
        ['gmail_search', 'ran'],
        ['gmail_read', 'ran'],
      ]);
    });

    it('tells the model the zone, locale and date, then the history, then the question', async () => {
      const { assistant } = env.assistantFor();
      const now = new Date();
      await assistant.answer(
        env.ask('and when is it?', {
          now,
          history: [
            { role: 'user', text: 'any mail from Jess about lunch?' },
            { role: 'assistant', text: 'Jess asks for lunch orders by 11.' },
          ],
        }),
      );
      const [first] = env.model.requests;
      const messages = first?.messages ?? [];
      expect(messages.map((m) => m.role)).toStrictEqual(['system', 'user', 'assistant', 'user']);
      expect(messages.slice(1).map((m) => m.content)).toStrictEqual([
        'any mail from Jess about lunch?',
        'Jess asks for lunch orders by 11.',
        'and when is it?',
      ]);
      const system = String(messages[0]?.content);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: ALEX_ZONE }).format(now);
      expect(system).toContain(`time zone is ${ALEX_ZONE} and their locale is en-US`);
      expect(system).toContain(`It is now ${today}T`);
    });

    it('sends the key as a bearer token and never logs the key, the question or the data', async () => {
      const { assistant, logs } = env.assistantFor();
      await assistant.answer(env.ask('Any mail from Priya about the Lumen pitch deck?'));
      const written = logs.join('');
      expect(written).toContain('"msg":"assistant answered"');
      for (const secret of [MODEL_KEY, 'Lumen', 'Priya']) expect(written).not.toContain(secret);
    });

    it('is unavailable with model_error when the key is wrong', async () => {
      const { assistant, logs } = env.assistantFor({ apiKey: 'sk-wrong-key-000000000000' });
      expect(await reasonOf(assistant.answer(env.ask('anything new?')))).toBe('model_error');
      expect(logs.join('')).not.toContain('sk-wrong-key');
    });

    it('is unavailable with model_error when the model server fails', async () => {
      env.model.mode = 'failing';
      env.model.failure = 'broken-stream';
      const { assistant } = env.assistantFor();
      expect(await reasonOf(assistant.answer(env.ask('anything new?')))).toBe('model_error');
    });

    it('is unavailable with model_error when the model server answers 500', async () => {
      env.model.mode = 'failing';
      env.model.failure = 'http-500';
      const { assistant } = env.assistantFor();
      expect(await reasonOf(assistant.answer(env.ask('anything new?')))).toBe('model_error');
      // One retry, no more.
      expect(env.model.requests).toHaveLength(2);
    });

    it('is unavailable with timeout when the model is slower than the answer may take', async () => {
      env.model.mode = 'slow';
      const { assistant } = env.assistantFor({ timeoutMs: 300 });
      expect(await reasonOf(assistant.answer(env.ask('anything new?')))).toBe('timeout');
    });
  });
}
