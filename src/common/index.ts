/**
 * Small helpers every part may use: HTML escaping, constant-time secret comparison, and
 * zod schemas as JSON Schema. Imports nothing of Tidings.
 */
export { escapeHtml } from './html.ts';
export { type JsonSchema, jsonSchemaOf } from './json-schema.ts';
export { secretEquals } from './secret-equals.ts';
