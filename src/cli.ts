/**
 * The `tidings` command line. Database commands run inside a running server over the
 * admin socket when one owns the embedded database, and open the database themselves
 * otherwise. Only commands that work are listed.
 */
import {
  isAdminCommand,
  mcpConfig,
  openclawConfig,
  runAdminCommand,
  sendAdminCommand,
} from './admin/index.ts';
import { startApp } from './app.ts';
import { type Config, ConfigError, loadConfig, mcpClientSettings, publicUrlOf } from './config.ts';
import { TidingsError } from './errors.ts';
import { createLogger } from './log.ts';
import { toolCatalogue } from './front-door/index.ts';
import { buildParts } from './parts.ts';
import { openServices } from './services.ts';
import { VERSION } from './version.ts';

const HELP = `tidings — read Gmail and Google Calendar from Telegram, self-hosted

Usage: tidings <command> [options]

Commands:
  start                       run the service (HTTP server, background work)
  doctor [--json]             check the live configuration one by one and say what to fix
  migrate                     apply database migrations
  backup FILE [--force]       a consistent copy of the embedded database, also while it runs
  restore FILE                restore a backup into an empty DATA_DIR
  keys rotate                 add a vault key version and re-wrap every record key (online)
  keys status                 list vault key versions and how many records each protects
  keys retire <version>       retire an old vault key version once nothing uses it
  users add --name NAME [--telegram-id ID]
                              create a user (prints the id last)
  users list                  list users
  users connect-link USER_ID  a one-time link that connects a Google account
  connections list [--user USER_ID]
                              status, email, capabilities, scopes, expiry (never tokens)
  connections disconnect ID   revoke at Google and delete the tokens
  connections events ID       the history of one connection
  notifications list          the notification outbox
  api-keys create USER_ID [NAME]
                              a runtime API key for that user (printed once, last line)
  api-keys list USER_ID       that user's keys (prefix, name, last use; never the key)
  api-keys revoke ID|PREFIX   revoke a key
  openclaw config USER_ID [--connection ID|EMAIL] [--url URL]
                              a new key and the OpenClaw configuration for that user (JSON)
  mcp config USER_ID [--stdio] [--url URL]
                              a new key and an MCP client's server block for that user (JSON)
  mcp                         MCP over stdio for desktop agents: tools run on the Tidings
                              at TIDINGS_URL with TIDINGS_API_KEY
  demo [--port N] [--google-port N] [--telegram-port N] [--data-dir DIR]
       [--model scripted] [--model-port N]
                              the whole product offline: sandboxes, seed data, web chat;
                              LLM_* settings (or the scripted model) answer what the
                              intent router cannot
  sandbox google [--port N] [--seed DIR]
                              run the offline Google stand-in
  sandbox telegram [--port N] run the offline Telegram Bot API stand-in
  sandbox llm [--port N] [--mode cooperative|gullible|failing|slow]
                              run the scripted OpenAI-compatible model
  help                        this text

Settings come from the environment; see the README's configuration table.`;

/** CLI words → admin command names. */
function adminCommandOf(argv: string[]): { name: string; args: string[] } | null {
  const [first, second, ...rest] = argv;
  if (first === 'migrate') return { name: 'migrate', args: [] };
  if (first && second && isAdminCommand(`${first}.${second}`))
    return { name: `${first}.${second}`, args: rest };
  return null;
}

async function runDatabaseCommand(config: Config, name: string, args: string[]): Promise<string[]> {
  if (!config.databaseUrl) {
    const answer = await sendAdminCommand(config.dataDir, { command: name, args });
    if (answer) {
      if (!answer.ok) throw new Error(answer.error);
      return answer.lines;
    }
  }
  // Logs go to stderr: stdout is the command's answer (JSON for the agent configuration).
  const services = await openServices(config, {
    logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr),
  });
  try {
    const parts = buildParts(services, { publicUrl: () => publicUrlOf(config, config.port) });
    return await runAdminCommand({ ...services, parts }, name, args);
  } finally {
    await services.database.close();
  }
}

interface ParsedArgs {
  positional: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

/** `USER --name value --flag`; an option not in `values` or `flags` is an error. */
function parseArgs(args: string[], values: string[], flags: string[]): ParsedArgs | null {
  const parsed: ParsedArgs = { positional: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) parsed.positional.push(arg);
    else if (flags.includes(arg)) parsed.flags.add(arg);
    else if (values.includes(arg) && args[i + 1] !== undefined && !args[i + 1]?.startsWith('--'))
      parsed.values.set(arg, args[++i] ?? '');
    else return null;
  }
  return parsed;
}

/**
 * `openclaw config` / `mcp config`: a dedicated key for the user (checked, with the
 * connection they name) and the runtime's configuration as JSON on standard output; the
 * hint goes to standard error so the output can be piped into a file as it is.
 */
async function printAgentConfig(
  config: Config,
  runtime: 'openclaw' | 'mcp',
  args: string[],
): Promise<number> {
  const parsed =
    runtime === 'openclaw'
      ? parseArgs(args, ['--connection', '--url'], [])
      : parseArgs(args, ['--url'], ['--stdio']);
  const userId = parsed?.positional[0];
  if (!parsed || !userId || parsed.positional.length > 1) {
    throw new Error(
      runtime === 'openclaw'
        ? 'usage: tidings openclaw config USER_ID [--connection ID|EMAIL] [--url URL]'
        : 'usage: tidings mcp config USER_ID [--stdio] [--url URL]',
    );
  }
  const selector = parsed.values.get('--connection') ?? null;
  const baseUrl = parsed.values.get('--url') ?? publicUrlOf(config, config.port);
  if (!/^https?:\/\//.test(baseUrl) || !URL.canParse(baseUrl)) {
    throw new Error('--url: the http(s) address where Tidings answers');
  }
  const lines = await runDatabaseCommand(config, 'api-keys.provision', [
    userId,
    runtime,
    ...(selector ? [selector] : []),
  ]);
  const apiKey = lines.at(-1) ?? '';
  const connectionLine = lines.find((line) => line.startsWith('connection ')) ?? '';
  const connectionId = connectionLine.slice('connection '.length);
  const input = {
    baseUrl,
    apiKey,
    connection: selector ? connectionId : null,
    tools: toolCatalogue(),
  };
  const fragment =
    runtime === 'openclaw'
      ? openclawConfig(input)
      : mcpConfig(input, parsed.flags.has('--stdio') ? 'stdio' : 'http');
  console.log(JSON.stringify(fragment, null, 2));
  const prefix = /^tid_([^_]+)_/.exec(apiKey)?.[1] ?? '';
  console.error(
    runtime === 'openclaw'
      ? `hint: to keep the key out of openclaw.json, write "apiKey": "\${TIDINGS_API_KEY}" and give the gateway TIDINGS_API_KEY=<the key above> in its environment; cut the agent off with: tidings api-keys revoke ${prefix}`
      : `hint: the key is shown only here; cut the agent off with: tidings api-keys revoke ${prefix}`,
  );
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(HELP);
    return command ? 0 : 1;
  }
  if (command === 'demo') {
    const { runDemo } = await import('../sandbox/demo.ts');
    await runDemo(argv.slice(1), process.env);
    return 0;
  }
  if (command === 'sandbox') {
    const { runSandboxCli } = await import('../sandbox/cli.ts');
    return runSandboxCli(argv.slice(1));
  }
  if (command === 'mcp' && argv.length === 1) {
    const { serveStdio } = await import('./mcp/index.ts');
    await serveStdio({ ...mcpClientSettings(process.env), version: VERSION });
    return 0;
  }
  if (command === 'doctor') {
    const { doctorCommand } = await import('./doctor/index.ts');
    return doctorCommand(process.env, argv.slice(1));
  }
  const config = loadConfig(process.env);
  if (command === 'backup' || command === 'restore') {
    const { backupCommand, restoreCommand } = await import('./backup/index.ts');
    return command === 'backup'
      ? backupCommand(config, argv.slice(1))
      : restoreCommand(config, argv.slice(1));
  }
  if ((command === 'openclaw' || command === 'mcp') && argv[1] === 'config') {
    return printAgentConfig(config, command, argv.slice(2));
  }
  if (command === 'start') {
    // The listening line comes before background work has started: a signal from then on
    // is kept, and stops the server cleanly once its start is complete. Every signal is
    // caught, not only the first: `npm start` passes a signal sent to its process group on
    // to Node, so Node gets it twice, and a second one must not cut the stop short.
    let signalled = null as string | null;
    let onSignal = (signal: string) => {
      signalled ??= signal;
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    const app = await startApp(config);
    await new Promise<void>((resolve) => {
      let stopping = false;
      onSignal = (signal: string) => {
        if (stopping) return;
        stopping = true;
        app.services.logger.info({ signal }, 'shutting down');
        app.stop().then(resolve, resolve);
      };
      if (signalled) onSignal(signalled);
    });
    return 0;
  }
  const admin = adminCommandOf(argv);
  if (admin) {
    for (const line of await runDatabaseCommand(config, admin.name, admin.args)) console.log(line);
    return 0;
  }
  console.error(`tidings: unknown command "${argv.join(' ')}"\n\n${HELP}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else if (error instanceof TidingsError && error.details.settings) {
      console.error(`tidings: ${error.message} Set: ${error.details.settings.join(', ')}.`);
    } else console.error(`tidings: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
