/**
 * Builds the OpenClaw plugin package from Tidings itself: the tool list from the
 * capability registry (`dist/tools.json`, and `contracts.tools` in `openclaw.plugin.json`),
 * and the plugin's JavaScript (`dist/`) by stripping the types of its entry and of
 * `src/agent-tools/`, which imports nothing else. Every import left in `dist/` is checked to
 * be a file of `dist/`, a Node built-in or OpenClaw's plugin SDK, so the package runs
 * without a build of Tidings and without dependencies.
 *
 *   node integrations/openclaw/build.ts          build
 *   node integrations/openclaw/build.ts --pack   build, then npm pack into --out DIR (default .)
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  OPENCLAW_PLUGIN_ID,
  OPENCLAW_TOOL_PREFIX,
  type ToolDefinition,
} from '../../src/agent-tools/index.ts';
import { toolCatalogue } from '../../src/front-door/index.ts';

export const PLUGIN_DIR = path.dirname(fileURLToPath(import.meta.url));
const AGENT_TOOLS_DIR = path.join(PLUGIN_DIR, '..', '..', 'src', 'agent-tools');
const ENTRY_IMPORT = '../../../src/agent-tools/index.ts';

/** `openclaw.plugin.json` for these tools. */
export function pluginManifest(tools: readonly ToolDefinition[]) {
  const version = (
    JSON.parse(readFileSync(path.join(PLUGIN_DIR, 'package.json'), 'utf8')) as { version: string }
  ).version;
  return {
    id: OPENCLAW_PLUGIN_ID,
    name: 'Tidings',
    description:
      "Read the user's Gmail and Google Calendar through a self-hosted Tidings: search and read mail, unread counts, agenda, free/busy, the next event, action items, and alerts in Telegram for new mail matching a query.",
    version,
    categories: ['inbox-collaboration'],
    activation: { onStartup: true },
    contracts: { tools: tools.map((tool) => `${OPENCLAW_TOOL_PREFIX}${tool.name}`) },
    uiHints: {
      baseUrl: { label: 'Tidings address', placeholder: 'https://tidings.example.com' },
      apiKey: { label: 'Tidings API key', placeholder: 'tid_…', sensitive: true },
      connection: { label: 'Google account (id or email; default if empty)' },
    },
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        baseUrl: {
          type: 'string',
          description: 'Where Tidings answers (its PUBLIC_URL), e.g. https://tidings.example.com',
        },
        apiKey: {
          type: 'string',
          description: 'A per-user key from "tidings openclaw config" or "tidings api-keys create"',
        },
        connection: {
          type: 'string',
          description: "The user's Google account to use by default (connection id or email)",
        },
      },
    },
  };
}

/** One module's JavaScript; `.ts` specifiers become `.js`, the entry's reach into Tidings a sibling. */
function javascriptOf(source: string): string {
  return stripTypeScriptTypes(source, { mode: 'strip' })
    .replaceAll(`'${ENTRY_IMPORT}'`, `'./agent-tools/index.js'`)
    .replace(/(from\s+'\.{1,2}\/[^']+)\.ts'/g, "$1.js'");
}

/** Every import specifier of a module (static and dynamic). */
function importsOf(code: string): string[] {
  return [...code.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1] ?? '');
}

function checkImports(file: string, code: string, shipped: Set<string>): void {
  for (const specifier of importsOf(code)) {
    if (specifier.startsWith('node:') || specifier.startsWith('openclaw/plugin-sdk/')) continue;
    const target = path.resolve(path.dirname(file), specifier);
    if (!specifier.startsWith('.') || !shipped.has(target)) {
      throw new Error(
        `${path.relative(PLUGIN_DIR, file)} imports ${specifier}, which the package does not ship`,
      );
    }
  }
}

export function buildPlugin(tools: readonly ToolDefinition[] = toolCatalogue()): void {
  const dist = path.join(PLUGIN_DIR, 'dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(path.join(dist, 'agent-tools'), { recursive: true });
  const modules = new Map<string, string>();
  modules.set(
    path.join(dist, 'index.js'),
    javascriptOf(readFileSync(path.join(PLUGIN_DIR, 'src', 'index.ts'), 'utf8')),
  );
  for (const name of readdirSync(AGENT_TOOLS_DIR)) {
    // Tests and their harnesses stay home.
    if (!name.endsWith('.ts') || /\.(test|harness)\.ts$/.test(name)) continue;
    const source = readFileSync(path.join(AGENT_TOOLS_DIR, name), 'utf8');
    modules.set(path.join(dist, 'agent-tools', name.replace(/\.ts$/, '.js')), javascriptOf(source));
  }
  const shipped = new Set(modules.keys());
  for (const [file, code] of modules) {
    checkImports(file, code, shipped);
    writeFileSync(file, code);
  }
  writeFileSync(path.join(dist, 'tools.json'), `${JSON.stringify(tools, null, 2)}\n`);
  writeIfChanged(
    path.join(PLUGIN_DIR, 'openclaw.plugin.json'),
    `${JSON.stringify(pluginManifest(tools), null, 2)}\n`,
  );
}

/** Replaces a file in one step (write beside it, rename), and only when its text changes. */
function writeIfChanged(file: string, text: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Builds and packs; answers the path of the `.tgz`. */
export function packPlugin(destination: string): string {
  buildPlugin();
  mkdirSync(destination, { recursive: true });
  const npm = process.env.npm_execpath;
  const args = ['pack', '--json', '--pack-destination', destination];
  const output = npm
    ? execFileSync(process.execPath, [npm, ...args], { cwd: PLUGIN_DIR, encoding: 'utf8' })
    : execFileSync('npm', args, { cwd: PLUGIN_DIR, encoding: 'utf8' });
  const [packed] = JSON.parse(output) as Array<{ filename: string }>;
  if (!packed) throw new Error('npm pack produced nothing');
  return path.join(destination, packed.filename);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  if (argv.includes('--pack')) {
    const out = argv[argv.indexOf('--out') + 1];
    console.log(packPlugin(path.resolve(argv.includes('--out') && out ? out : '.')));
  } else {
    buildPlugin();
    console.log(`built ${path.relative(process.cwd(), path.join(PLUGIN_DIR, 'dist'))}`);
  }
}
