/**
 * The agent tools, built from the capability registry: one tool per capability (its name,
 * title, description and zod schemas as JSON Schema, plus the `connection` argument) and
 * the two account tools. MCP serves this list; the OpenClaw plugin ships it as data. A
 * capability added to the registry is a tool everywhere without another line.
 */
import { type AnyCapability, CAPABILITIES } from '../capabilities/index.ts';
import { jsonSchemaOf, type JsonSchema } from '../common/index.ts';
import {
  ACCOUNT_TOOL_NAMES,
  CONNECTION_ARGUMENT,
  type ToolDefinition,
  toolNameOf,
} from '../agent-tools/index.ts';
import { ConnectionListSchema, ConnectLinkRequestSchema, ConnectLinkSchema } from './views.ts';

const CONNECTION_PROPERTY = {
  type: 'string',
  minLength: 1,
  maxLength: 320,
  description:
    "Which of the user's Google accounts to use: a connection id or email address (see the connections tool). Leave it out for the default account.",
};

/** An object schema with the `connection` argument added. */
function withConnection(schema: JsonSchema): JsonSchema {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  return { ...schema, properties: { ...properties, [CONNECTION_ARGUMENT]: CONNECTION_PROPERTY } };
}

export function capabilityTool(capability: AnyCapability): ToolDefinition {
  return {
    name: toolNameOf(capability.name),
    title: capability.title,
    description: capability.description,
    inputSchema: withConnection(jsonSchemaOf(capability.input, 'input')),
    outputSchema: jsonSchemaOf(capability.output, 'output'),
    target: { kind: 'capability', capability: capability.name },
    effect: capability.effect ?? 'reads',
  };
}

export const ACCOUNT_TOOLS: readonly ToolDefinition[] = [
  {
    name: ACCOUNT_TOOL_NAMES.connections,
    title: 'Connected Google accounts',
    description:
      "The user's connected Google accounts: email, status (active, degraded, needs_reauth, revoked), what each can read (gmail, calendar), which is the default, and the id to pass as `connection` to another tool.",
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputSchema: jsonSchemaOf(ConnectionListSchema, 'output'),
    target: { kind: 'connections' },
    effect: 'reads',
  },
  {
    name: ACCOUNT_TOOL_NAMES.connectLink,
    title: 'Link to connect Google',
    description:
      'A one-time link the user opens in their browser to connect a Google account, or to reconnect one (pass `connection`) after a tool answered not_connected, reauth_required or scope_missing. Give the link to the user; never open it yourself.',
    inputSchema: jsonSchemaOf(ConnectLinkRequestSchema, 'input'),
    outputSchema: jsonSchemaOf(ConnectLinkSchema, 'output'),
    target: { kind: 'connect-link' },
    effect: 'reads',
  },
];

/** Every tool, capabilities first, in registry order. */
export function toolCatalogue(
  capabilities: readonly AnyCapability[] = CAPABILITIES,
): ToolDefinition[] {
  return [...capabilities.map(capabilityTool), ...ACCOUNT_TOOLS];
}
