/**
 * Reading control API requests: a zod schema for the body, the 400 `{error:
 * 'invalid_request', message}` answer when the body does not fit it, and the 404
 * `{error: 'not_found', message}` answer for an unknown user or other named thing.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { SandboxUser } from '../context.ts';

export function invalid(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ error: 'invalid_request', message });
}

/** The parsed body, or null once the 400 has been sent. */
export function parse<T>(schema: z.ZodType<T>, body: unknown, reply: FastifyReply): T | null {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  invalid(reply, z.prettifyError(result.error));
  return null;
}

export function notFound(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(404).send({ error: 'not_found', message });
}

/** The user an email in a path or body names (any case), or null once the 404 has been sent. */
export function knownUser(
  users: Map<string, SandboxUser>,
  email: string,
  reply: FastifyReply,
): SandboxUser | null {
  const user = users.get(email.toLowerCase());
  if (!user) notFound(reply, `No such user: ${email}`);
  return user ?? null;
}
