/** zod schemas as JSON Schema, for the OpenAPI document and the agent tools alike. */
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** A zod schema as a JSON Schema object (draft 2020-12, the dialect of OpenAPI 3.1). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest as JsonSchema;
}
