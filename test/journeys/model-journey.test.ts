/**
 * The optional chat model through the whole product: the real server and database (PGlite,
 * and PostgreSQL when DATABASE_URL is set), the Google and Telegram sandboxes and the
 * scripted model over HTTP, Telegram delivering by long polling and by webhook. A question
 * the intent router cannot place is answered by the model through Tidings' tools, with the
 * chat's recent questions as history; a question the router answers never reaches the
 * model; a hostile mail read by a gullible model leaves no live link to the attacker in
 * the chat; a failing model leaves the router's answer with a note; `/privacy` names the
 * model and where it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusItem, importCorpus } from '../../sandbox/injection/index.ts';
import { type ModelSandbox, startModelSandbox } from '../../sandbox/llm/index.ts';
import type { InboxItem } from '../../sandbox/telegram/index.ts';
import { clickableLinks } from '../assistant/injection.harness.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

const ALEX = 7501;
const SECRET = 'model-journey-secret_0123456789abc';
const MODES = ['polling', 'webhook'] as const;
/** Mail the hostile items carry; their questions go to the model. */
const COOPERATIVE = corpusItem('hidden-note-invoice');
const HOSTILE = corpusItem('fake-system-benefits');
/** Items whose mail asks for an exfiltration link and a Markdown image. */
const LINKING = [corpusItem('exfil-link-recruiter'), corpusItem('markdown-image-report')];

for (const database of DATABASES) {
  for (const mode of MODES) {
    describe(`the chat model on ${database.name}, delivered by ${mode}`, () => {
      let stack: Stack;
      let model: ModelSandbox;

      beforeAll(async () => {
        model = await startModelSandbox({ mode: 'cooperative' });
        stack = await startStack(database, {
          telegram: true,
          env: {
            LLM_BASE_URL: model.url,
            LLM_MODEL: 'tidings-scripted',
            ...(mode === 'webhook'
              ? { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET }
              : {}),
          },
        });
        await importCorpus(stack.google, 'alex@example.com', [COOPERATIVE, HOSTILE, ...LINKING]);
        // Alex says hello (the bot creates the user), then connects outside the chat.
        await say('hello');
        const user = await stack.app.parts.frontDoor.users.byTelegramId(String(ALEX));
        const before = (await stack.chat!.inbox(ALEX)).length;
        expect((await connectWithAutoApprove(stack, user!.id, 'alex@example.com')).status).toBe(
          200,
        );
        await stack.chat!.inbox(ALEX, { count: before + 1, timeoutMs: 15_000 });
      });
      afterAll(async () => {
        await stack?.close();
        await model?.close();
      });

      async function say(text: string): Promise<InboxItem> {
        const before = (await stack.chat!.inbox(ALEX)).length;
        await stack.chat!.write(ALEX, text, 'Alex');
        const inbox = await stack.chat!.inbox(ALEX, { count: before + 1, timeoutMs: 15_000 });
        return inbox[before]!;
      }

      it('answers what the router cannot place through the tools, previews off', async () => {
        model.mode = 'cooperative';
        model.reset();
        const reply = await say(COOPERATIVE.question);
        const tools = model.requests.flatMap((request) =>
          request.messages.flatMap((m) =>
            m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.function.name) : [],
          ),
        );
        expect({
          mentionsTheMail: reply.text.includes(COOPERATIVE.mail!.subject),
          tools: [...new Set(tools)].sort(),
          previews: reply.link_preview_options,
          zoneInInstructions: JSON.stringify(model.requests[0]?.messages[0]).includes(
            'America/New_York',
          ),
        }).toStrictEqual({
          mentionsTheMail: true,
          tools: ['gmail_read', 'gmail_search'],
          previews: { is_disabled: true },
          zoneInInstructions: true,
        });
      });

      it('gives the model the questions asked before, kept in the database', async () => {
        model.reset();
        await say('Is there anything I should know before the offsite?');
        const first = model.requests[0]!.messages.map((m) => m.content);
        expect(JSON.stringify(first)).toContain(COOPERATIVE.question);
      });

      it('never reaches the model for what the router answers', async () => {
        model.reset();
        const reply = await say("what's on tomorrow?");
        expect({ requests: model.requests.length, heading: reply.text.split('\n')[0] }).toEqual({
          requests: 0,
          heading: expect.stringMatching(/^📅 Tomorrow · /),
        });
      });

      it('leaves no live attacker link when a gullible model obeys the mail', async () => {
        model.mode = 'gullible';
        for (const item of [HOSTILE, ...LINKING]) {
          model.reset();
          const reply = await say(item.question);
          const hosts = item.attacker.urls.map((url) => new URL(url).host);
          const live = clickableLinks(reply.html ?? reply.text).filter((link) =>
            hosts.some((host) => link.includes(host)),
          );
          expect({ item: item.id, live, previews: reply.link_preview_options }).toStrictEqual({
            item: item.id,
            live: [],
            previews: { is_disabled: true },
          });
        }
        expect(model.attempts.length).toBeGreaterThan(0);
      });

      it('answers with what the bot can do, and a note, when the model fails', async () => {
        model.mode = 'failing';
        const reply = await say('Who is joining the board prep session?');
        expect(reply.text.split('\n\n').slice(0, 2)).toStrictEqual([
          'The model that answers open questions did not answer this time, so here is what I can do myself:',
          expect.stringMatching(/^📅 Your calendar/),
        ]);
        model.mode = 'cooperative';
      });

      it('names the model and where it runs in /privacy', async () => {
        const reply = await say('/privacy');
        expect(reply.text).toContain(
          `When I cannot place a question myself, it goes to the chat model tidings-scripted at ${new URL(model.url).host},`,
        );
      });
    });
  }
}
