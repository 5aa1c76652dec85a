/**
 * The OpenAPI 3.1 document of `/v1`, generated from the capability registry's zod schemas
 * and the route table: every route with its parameters, examples, success schema and the
 * problem responses it can give. Built once when the API is registered.
 */
import { type AnyCapability, CAPABILITIES } from '../../capabilities/index.ts';
import { CAPABILITY_ROUTES } from './capability-routes.ts';
import type { CapabilityRoute, RouteMethod } from './capability-routes.ts';
import {
  jsonSchemaOf,
  PROBLEM_RESPONSES,
  ProblemSchema,
  problemRefs,
  SECURITY_SCHEMES,
} from './openapi-components.ts';
import type { JsonSchema } from './openapi-components.ts';
import { CONNECTION_PARAM } from './query-input.ts';
import {
  ConnectionListSchema,
  ConnectionSchema,
  ConnectLinkRequestSchema,
  ConnectLinkSchema,
} from '../../front-door/index.ts';

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  description: string;
  schema: JsonSchema;
  style?: 'deepObject';
  explode?: boolean;
  example?: unknown;
}

export interface RequestBody {
  required: boolean;
  content: Record<string, { schema: JsonSchema; example?: unknown }>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  parameters: OpenApiParameter[];
  requestBody?: RequestBody;
  responses: Record<string, unknown>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string; description: string }>;
  security: Array<Record<string, string[]>>;
  paths: Record<string, Partial<Record<RouteMethod, OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: typeof PROBLEM_RESPONSES;
    securitySchemes: typeof SECURITY_SCHEMES;
  };
}

const CAPABILITY_ERRORS = problemRefs([
  ['400', 'BadRequest'],
  ['401', 'Unauthorized'],
  ['403', 'Forbidden'],
  ['404', 'NotFound'],
  ['409', 'Conflict'],
  ['429', 'TooManyRequests'],
  ['502', 'BadGateway'],
  ['503', 'ServiceUnavailable'],
]);

/** `/gmail/messages/:id` → `/v1/gmail/messages/{id}`. */
export function openApiPath(fastifyPath: string): string {
  return `/v1${fastifyPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
}

/** `gmail.search` → `GmailSearchResult`. */
function resultName(capability: string): string {
  const words = capability.split(/[._]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return `${words.join('')}Result`;
}

function tagOf(capability: string): string {
  if (capability.startsWith('gmail.')) return 'Gmail';
  if (capability.startsWith('calendar.')) return 'Calendar';
  if (capability.startsWith('watch.')) return 'Watches';
  return 'Actions';
}

function parametersOf(route: CapabilityRoute, input: JsonSchema): OpenApiParameter[] {
  const fields = (input.properties ?? {}) as Record<string, JsonSchema>;
  const describe = (name: string, field: string) =>
    route.parameterDocs[name] ?? (fields[field]?.description as string | undefined) ?? '';
  const path = Object.entries(route.binding.params).map(([name, field]) => ({
    name,
    in: 'path' as const,
    required: true,
    description: describe(name, field),
    schema: fields[field] ?? { type: 'string' },
    ...(route.example.params[name] ? { example: route.example.params[name] } : {}),
  }));
  const query = Object.entries(route.binding.query).map(([name, field]) => {
    const schema = fields[field] ?? { type: 'string' };
    return {
      name,
      in: 'query' as const,
      required: false,
      description: describe(name, field),
      schema,
      ...(schema.type === 'object' ? { style: 'deepObject' as const, explode: true } : {}),
      ...(route.example.query[name] ? { example: route.example.query[name] } : {}),
    };
  });
  return [...path, ...query, CONNECTION_PARAMETER];
}

const CONNECTION_PARAMETER: OpenApiParameter = {
  name: CONNECTION_PARAM,
  in: 'query',
  required: false,
  description: 'Which connected Google account to use (connection id or email); default otherwise',
  schema: { type: 'string', minLength: 1, maxLength: 320 },
  example: 'alex@example.com',
};

/** The JSON body a route takes: the bound input fields, nothing else. */
function requestBodyOf(route: CapabilityRoute, input: JsonSchema): RequestBody {
  const fields = (input.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((input.required ?? []) as string[]);
  const entries = Object.entries(route.binding.body ?? {});
  const schema: JsonSchema = {
    type: 'object',
    properties: Object.fromEntries(
      entries.map(([name, field]) => [
        name,
        {
          ...(fields[field] ?? { type: 'string' }),
          ...(route.parameterDocs[name] ? { description: route.parameterDocs[name] } : {}),
        },
      ]),
    ),
    required: entries.filter(([, field]) => required.has(field)).map(([name]) => name),
    additionalProperties: false,
  };
  return {
    required: true,
    content: {
      'application/json': {
        schema,
        ...(route.example.body ? { example: route.example.body } : {}),
      },
    },
  };
}

function successResponses(route: CapabilityRoute, name: string): Record<string, unknown> {
  const answer = (description: string, example?: unknown) => ({
    description,
    content: {
      'application/json': {
        schema: { $ref: `#/components/schemas/${name}` },
        ...(example === undefined ? {} : { example }),
      },
    },
  });
  if (!route.created) return { '200': answer(route.summary, route.example.response) };
  return {
    '201': answer(`${route.summary}: created`, route.example.response),
    '200': answer(route.created.existing),
  };
}

function capabilityOperation(route: CapabilityRoute, schemas: Record<string, JsonSchema>) {
  const capability = route.capability;
  const name = resultName(capability.name);
  schemas[name] ??= jsonSchemaOf(capability.output, 'output');
  const input = jsonSchemaOf(capability.input, 'input');
  const operation: OpenApiOperation = {
    operationId: route.operationId,
    summary: route.summary,
    description: `${capability.description}\n\nCapability: \`${capability.name}\`.`,
    tags: [tagOf(capability.name)],
    parameters: parametersOf(route, input),
    ...(route.binding.body ? { requestBody: requestBodyOf(route, input) } : {}),
    responses: {
      ...successResponses(route, name),
      ...CAPABILITY_ERRORS,
      ...(route.binding.body ? problemRefs([['413', 'PayloadTooLarge']]) : {}),
    },
  };
  return operation;
}

/** `POST /v1/tools/{capability}`: the capability's input as a JSON body. */
function toolOperation(capability: AnyCapability, schemas: Record<string, JsonSchema>) {
  const name = resultName(capability.name);
  schemas[name] ??= jsonSchemaOf(capability.output, 'output');
  const words = capability.name.split(/[._]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  const operation: OpenApiOperation = {
    operationId: `call${words.join('')}`,
    summary: `${capability.title} (JSON body)`,
    description:
      `${capability.description}\n\nThe same run and answer as this capability's route (200 even when it creates), ` +
      'with the input as a JSON body: the form agent runtimes use. ' +
      `Capability: \`${capability.name}\`.`,
    tags: ['Tools'],
    parameters: [CONNECTION_PARAMETER],
    requestBody: {
      required: false,
      content: { 'application/json': { schema: jsonSchemaOf(capability.input, 'input') } },
    },
    responses: {
      '200': {
        description: capability.title,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
      },
      ...CAPABILITY_ERRORS,
      ...problemRefs([['413', 'PayloadTooLarge']]),
    },
  };
  return operation;
}

function json(ref: string, description: string, example: unknown) {
  return {
    description,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` }, example } },
  };
}

const CONNECTION_EXAMPLE = {
  id: '0b6c3c52-8f3e-4c1e-9d7a-3f0f5a6c2b11',
  provider: 'google',
  email: 'alex@example.com',
  display_name: 'Alex Morgan',
  status: 'active',
  status_reason: null,
  capabilities: ['gmail', 'calendar'],
  granted_scopes: ['openid', 'email', 'https://www.googleapis.com/auth/gmail.readonly'],
  is_default: true,
  created_at: '2026-03-01T08:00:00.000Z',
  last_used_at: '2026-03-10T08:59:12.000Z',
};

function resourceOperations(): OpenApiDocument['paths'] {
  return {
    '/v1/connections': {
      get: {
        operationId: 'listConnections',
        summary: 'Connected Google accounts',
        description:
          "The key's user's Google connections with status and capabilities; never tokens.",
        tags: ['Connections'],
        parameters: [],
        responses: {
          '200': json('ConnectionList', 'The connections', { connections: [CONNECTION_EXAMPLE] }),
          ...problemRefs([
            ['400', 'BadRequest'],
            ['401', 'Unauthorized'],
            ['429', 'TooManyRequests'],
          ]),
        },
      },
    },
    '/v1/connect-links': {
      post: {
        operationId: 'createConnectLink',
        summary: 'Link to connect a Google account',
        description:
          "A one-time browser link that starts Google consent for the key's user. With `connection`, it reconnects that account.",
        tags: ['Connections'],
        parameters: [],
        requestBody: {
          required: false,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/ConnectLinkRequest' } },
          },
        },
        responses: {
          '201': json('ConnectLink', 'The link', {
            url: 'https://tidings.example.com/oauth/google/start?ticket=…',
            expires_at: '2026-03-10T09:10:00.000Z',
          }),
          ...problemRefs([
            ['400', 'BadRequest'],
            ['401', 'Unauthorized'],
            ['404', 'NotFound'],
            ['413', 'PayloadTooLarge'],
            ['429', 'TooManyRequests'],
            ['503', 'ServiceUnavailable'],
          ]),
        },
      },
    },
  };
}

function documentationOperations(): OpenApiDocument['paths'] {
  const open = (operationId: string, summary: string, type: string, schema: JsonSchema) => ({
    operationId,
    summary,
    description: `${summary}; needs no key.`,
    tags: ['Documentation'],
    security: [],
    parameters: [],
    responses: { '200': { description: summary, content: { [type]: { schema } } } },
  });
  return {
    '/v1/openapi.json': {
      get: open('openapi', 'This OpenAPI document', 'application/json', { type: 'object' }),
    },
    '/v1/docs': {
      get: open('docs', 'The API reference as a web page', 'text/html', { type: 'string' }),
    },
  };
}

export function buildOpenApiDocument(
  capabilities: readonly AnyCapability[] = CAPABILITIES,
): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {
    Problem: jsonSchemaOf(ProblemSchema, 'output'),
    Connection: jsonSchemaOf(ConnectionSchema, 'output'),
    ConnectionList: jsonSchemaOf(ConnectionListSchema, 'output'),
    ConnectLinkRequest: jsonSchemaOf(ConnectLinkRequestSchema, 'input'),
    ConnectLink: jsonSchemaOf(ConnectLinkSchema, 'output'),
  };
  const paths: OpenApiDocument['paths'] = {};
  for (const route of CAPABILITY_ROUTES) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: capabilityOperation(route, schemas) };
  }
  for (const capability of capabilities) {
    paths[`/v1/tools/${capability.name}`] = { post: toolOperation(capability, schemas) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tidings runtime API',
      version: '1',
      description:
        'Read Gmail and Google Calendar of the user an API key belongs to. Authenticate with ' +
        '`Authorization: Bearer <key>`. Errors are RFC 9457 problems (application/problem+json) ' +
        'with a stable `code`. Each key may make a limited number of requests per minute; ' +
        'a 429 says how long to wait in Retry-After.',
    },
    tags: [
      { name: 'Gmail', description: 'Search and read mail' },
      { name: 'Calendar', description: 'Agenda, free/busy and the next event' },
      { name: 'Actions', description: 'Action items found in recent mail' },
      {
        name: 'Watches',
        description: 'New-mail alerts: Gmail queries whose new matches are announced in Telegram',
      },
      { name: 'Connections', description: 'Connected Google accounts' },
      {
        name: 'Tools',
        description: 'Every capability by name with a JSON body, for agent runtimes',
      },
      { name: 'Documentation', description: 'This document and its web page' },
    ],
    security: [{ bearerAuth: [] }],
    paths: { ...paths, ...resourceOperations(), ...documentationOperations() },
    components: { schemas, responses: PROBLEM_RESPONSES, securitySchemes: SECURITY_SCHEMES },
  };
}
