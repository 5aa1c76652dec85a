/**
 * Reading control API bodies: a zod schema, and the 400 `{error: 'invalid_request',
 * message}` answer when the body does not fit it.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

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
