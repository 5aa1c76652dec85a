/**
 * The `/v1/docs` page: the OpenAPI document rendered on the server as one self-contained
 * HTML page (inline styles, no scripts, no external fonts). Everything from the document
 * is escaped, so nothing in it can become markup.
 */
import { escapeHtml } from '../../common/index.ts';
import { PROBLEM_RESPONSES } from './openapi-components.ts';
import type { JsonSchema } from './openapi-components.ts';
import type { OpenApiDocument, OpenApiOperation, OpenApiParameter } from './openapi.ts';

const STYLE = `
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d232a;background:#fbfbfa}
main{max-width:920px;margin:0 auto;padding:24px 20px 64px}
h1{font-size:28px;margin:8px 0}h2{font-size:21px;margin-top:40px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:17px;margin:28px 0 6px}code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:#eef0f2;padding:1px 4px;border-radius:3px}
pre{background:#f1f3f5;border:1px solid #e1e4e8;padding:10px 12px;overflow-x:auto;border-radius:4px}
pre code{background:none;padding:0}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #e1e4e8;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f4f5f7;font-weight:600}.op{border:1px solid #e1e4e8;border-radius:6px;padding:4px 16px 12px;margin:16px 0;background:#fff}
.method{display:inline-block;min-width:44px;text-align:center;font-weight:700;font-size:12px;color:#fff;border-radius:3px;padding:2px 6px;margin-right:8px}
.get{background:#2f6f4f}.post{background:#2a5aa8}.delete{background:#a83a2a}nav ul{columns:2;padding-left:18px}
@media (prefers-color-scheme:dark){body{background:#15181b;color:#e3e6e8}.op{background:#1b1f23;border-color:#30363d}
pre{background:#1f2428;border-color:#30363d}code{background:#262b30}th{background:#22272c}th,td{border-color:#30363d}}
`;

/** Escaped text with `code` spans and paragraphs. */
function prose(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((para) => `<p>${escapeHtml(para).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('');
}

function pre(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return `<pre><code>${escapeHtml(text)}</code></pre>`;
}

/** `integer, 1–50, default 10`. */
export function schemaSummary(schema: JsonSchema): string {
  const parts: string[] = [];
  if (typeof schema.type === 'string') parts.push(schema.type);
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.join(', ')}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined)
    parts.push(`${String(schema.minimum ?? '…')}–${String(schema.maximum ?? '…')}`);
  if (schema.maxLength !== undefined) parts.push(`at most ${String(schema.maxLength)} chars`);
  if (typeof schema.pattern === 'string') parts.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.type === 'object' && schema.properties)
    parts.push(`fields ${Object.keys(schema.properties as object).join(', ')}`);
  return parts.join(', ');
}

type Row = Omit<OpenApiParameter, 'in'> & { in: OpenApiParameter['in'] | 'body' };

function parameterRows(parameters: Row[]): string {
  if (parameters.length === 0) return '<p>No parameters.</p>';
  const rows = parameters.map(
    (p) =>
      `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? ' (required)' : ''}</td><td>${p.in}</td>` +
      `<td>${escapeHtml(schemaSummary(p.schema))}</td><td>${escapeHtml(p.description)}</td>` +
      `<td>${p.example === undefined ? '' : `<code>${escapeHtml(String(p.example))}</code>`}</td></tr>`,
  );
  return `<table><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th><th>Example</th></tr>${rows.join('')}</table>`;
}

function exampleCall(method: string, path: string, operation: OpenApiOperation): string {
  let url = path;
  const query = new URLSearchParams();
  for (const p of operation.parameters) {
    if (p.example === undefined || p.name === 'connection') continue;
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(p.example)));
    else query.set(p.name, String(p.example));
  }
  const search = query.size > 0 ? `?${query.toString()}` : '';
  const auth =
    operation.security?.length === 0 ? '' : ' \\\n  -H "Authorization: Bearer $TIDINGS_API_KEY"';
  const verb = method === 'get' ? '' : ` -X ${method.toUpperCase()}`;
  const example = operation.requestBody?.content['application/json']?.example;
  const body =
    example === undefined
      ? ''
      : ` \\\n  -H "content-type: application/json" -d '${JSON.stringify(example)}'`;
  return `curl${verb} "$TIDINGS_URL${url}${search}"${auth}${body}`;
}

function responseList(operation: OpenApiOperation): string {
  const items = Object.entries(operation.responses).map(([status, value]) => {
    const ref = (value as { $ref?: string }).$ref;
    const name = ref ? ref.slice(ref.lastIndexOf('/') + 1) : null;
    const text = name
      ? `problem: <a href="#error-${escapeHtml(name)}">${escapeHtml(name)}</a>`
      : escapeHtml((value as { description?: string }).description ?? '');
    return `<li><strong>${escapeHtml(status)}</strong> ${text}</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}

function successExample(operation: OpenApiOperation): string {
  for (const [status, value] of Object.entries(operation.responses)) {
    const content = (value as { content?: Record<string, { example?: unknown }> }).content;
    const example = content?.['application/json']?.example;
    if (example !== undefined)
      return `<p>Example answer (${escapeHtml(status)}):</p>${pre(example)}`;
  }
  return '';
}

function requestBodyText(operation: OpenApiOperation): string {
  const body = operation.requestBody;
  if (!body) return '';
  const schema = body.content['application/json']?.schema ?? {};
  const ref =
    typeof schema.$ref === 'string' ? schema.$ref.slice(schema.$ref.lastIndexOf('/') + 1) : null;
  const kind = body.required ? 'JSON body' : 'Optional JSON body';
  if (ref) return `<p>${kind}: see <a href="#schemas">${escapeHtml(ref)}</a>.</p>`;
  const fields = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(
    ([name, field]) => ({
      name,
      in: 'body' as const,
      required: Array.isArray(schema.required) && schema.required.includes(name),
      description: typeof field.description === 'string' ? field.description : '',
      schema: field,
    }),
  );
  return `<p>${kind}, with these fields and no others:</p>${parameterRows(fields)}`;
}

function operationSection(method: string, path: string, operation: OpenApiOperation): string {
  return [
    `<section class="op" id="${escapeHtml(operation.operationId)}">`,
    `<h3><span class="method ${method}">${method.toUpperCase()}</span><code>${escapeHtml(path)}</code></h3>`,
    `<p><strong>${escapeHtml(operation.summary)}</strong></p>`,
    prose(operation.description),
    '<h4>Parameters</h4>',
    parameterRows(operation.parameters),
    requestBodyText(operation),
    '<h4>Example</h4>',
    pre(exampleCall(method, path, operation)),
    successExample(operation),
    '<h4>Responses</h4>',
    responseList(operation),
    '</section>',
  ].join('\n');
}

const EXAMPLE_PROBLEM = (
  PROBLEM_RESPONSES.BadRequest.content['application/problem+json'].examples.invalid_request as {
    value: unknown;
  }
).value;

function errorSection(doc: OpenApiDocument): string {
  const rows: string[] = [];
  for (const [name, response] of Object.entries(doc.components.responses)) {
    const examples = response.content['application/problem+json'].examples;
    for (const example of Object.values(examples)) {
      const value = (example as { value: { status: number; code: string; detail: string } }).value;
      rows.push(
        `<tr id="error-${escapeHtml(name)}"><td>${value.status}</td><td><code>${escapeHtml(value.code)}</code></td>` +
          `<td>${escapeHtml(response.description)}</td></tr>`,
      );
    }
  }
  return [
    '<h2 id="errors">Errors</h2>',
    '<p>Every error is an RFC 9457 problem (<code>application/problem+json</code>). Branch on <code>code</code>; <code>field</code> names a wrong parameter, <code>reason</code> says why a reconnect is needed, <code>retry_after</code> (and the <code>Retry-After</code> header) how long to wait.</p>',
    `<table><tr><th>Status</th><th>Code</th><th>Meaning</th></tr>${rows.join('')}</table>`,
    '<p>For example:</p>',
    pre(EXAMPLE_PROBLEM),
  ].join('\n');
}

export function renderDocsPage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    (['get', 'post', 'delete'] as const).flatMap((method) => {
      const operation = item[method];
      return operation ? [{ method, path, operation }] : [];
    }),
  );
  const nav = operations
    .map(
      ({ method, path, operation }) =>
        `<li><a href="#${escapeHtml(operation.operationId)}">${method.toUpperCase()} ${escapeHtml(path)}</a> — ${escapeHtml(operation.summary)}</li>`,
    )
    .join('');
  const sections = doc.tags.map((tag) => {
    const own = operations.filter((o) => o.operation.tags.includes(tag.name));
    return `<h2>${escapeHtml(tag.name)}</h2><p>${escapeHtml(tag.description)}</p>${own.map((o) => operationSection(o.method, o.path, o.operation)).join('\n')}`;
  });
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, schema]) =>
        `<details><summary><code>${escapeHtml(name)}</code></summary>${pre(schema)}</details>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(doc.info.title)}</h1>
${prose(doc.info.description)}
<p>Machine-readable: <a href="/v1/openapi.json">/v1/openapi.json</a> (OpenAPI ${escapeHtml(doc.openapi)}).
Every capability route takes <code>connection</code> (a connection id or email) to pick one of several connected Google accounts.</p>
<nav><h2>Routes</h2><ul>${nav}</ul></nav>
${sections.join('\n')}
${errorSection(doc)}
<h2 id="schemas">Schemas</h2>
${schemas}
</main></body></html>
`;
}
