/**
 * The web chat's "Drop a new mail" button, for the demo: `GET /__sandbox/demo/mail` tells
 * the page whose mailbox it drops into and offers a few ready-made mails (`{offered:
 * false}` when the sandbox was started without `demoMail`, and the page hides the button:
 * a page that only asks never meets an error);
 * `POST /__sandbox/demo/mail` `{from, subject}` hands the mail to whoever started the
 * sandbox (the demo imports it into the Google sandbox) → 201 `{id}`. A mail it refuses is
 * a 400 `{error}`; a mailbox that cannot be reached is a 502 `{error}`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

export interface DemoMail {
  from: string;
  subject: string;
}

/** What the sandbox's starter does with a dropped mail. */
export interface DemoMailOptions {
  /** The mailbox the mail goes to, shown on the page. */
  to: string;
  /** How often, in seconds, the product looks for new mail (shown on the page). */
  everySeconds: number;
  /** Ready-made mails the page offers. */
  canned: readonly DemoMail[];
  /**
   * Puts the mail into the mailbox: `{id}` of the new message, or `{refused}` with a
   * sentence for the person when the mailbox will not take it.
   */
  drop(mail: DemoMail): Promise<{ id: string } | { refused: string }>;
}

/** `addr@host` or `Display Name <addr@host>`, one line, no quotes or backslashes. */
const SENDER =
  /^(?:[^"\\<>\p{Cc}]{1,100}?\s*<[^\s<>@"\\\p{Cc}]{1,64}@[^\s<>@"\\\p{Cc}]{1,190}>|[^\s<>@"\\\p{Cc}]{1,64}@[^\s<>@"\\\p{Cc}]{1,190})$/u;

const DropBody = z.strictObject({
  from: z.string().trim().max(320).regex(SENDER, 'an address, or Name <address>'),
  subject: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\p{Cc}]*$/u, 'one line, without control characters'),
});

/** Without demo mail: the page asks, and is told there is none. */
export function registerNoDemoMail(app: FastifyInstance): void {
  app.get('/__sandbox/demo/mail', async () => ({ offered: false }));
}

export function registerDemoMail(app: FastifyInstance, options: DemoMailOptions): void {
  app.get('/__sandbox/demo/mail', async () => ({
    offered: true,
    to: options.to,
    everySeconds: options.everySeconds,
    canned: options.canned,
  }));

  app.post('/__sandbox/demo/mail', async (request, reply) => {
    const parsed = DropBody.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
    let outcome: { id: string } | { refused: string };
    try {
      outcome = await options.drop(parsed.data);
    } catch {
      return reply.code(502).send({ error: `The mailbox of ${options.to} cannot be reached.` });
    }
    if ('refused' in outcome) return reply.code(400).send({ error: outcome.refused });
    return reply.code(201).send({ id: outcome.id });
  });
}
