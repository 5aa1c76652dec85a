/**
 * `tidings sandbox llm [--port N] [--host H] [--mode M] [--model ID] [--api-key KEY]`:
 * runs the scripted model until SIGINT or SIGTERM. The first stdout line is exactly
 * `llm sandbox listening on <url>` (the base URL ending in `/v1`, what `LLM_BASE_URL`
 * takes); the mode and model follow.
 */
import { DEFAULT_MODEL, type ModelSandbox, startModelSandbox } from './server.ts';
import { MODEL_MODES, type ModelMode } from './types.ts';

export const DEFAULT_PORT = 4030;

const USAGE =
  'usage: tidings sandbox llm [--port N] [--host H] [--mode cooperative|gullible|failing|slow] [--model ID] [--api-key KEY]';

interface CliOptions {
  port: number;
  host: string;
  mode: ModelMode;
  model: string;
  apiKey: string | undefined;
}

const FLAGS = ['--port', '--host', '--mode', '--model', '--api-key'] as const;
type Flag = (typeof FLAGS)[number];

function isFlag(value: string): value is Flag {
  return FLAGS.some((flag) => flag === value);
}

function apply(options: CliOptions, flag: Flag, value: string): string | null {
  switch (flag) {
    case '--port': {
      const port = Number(value);
      if (value === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
        return `--port needs a number from 0 to 65535 (0 picks a free port), got "${value}"`;
      }
      options.port = port;
      return null;
    }
    case '--mode': {
      const mode = MODEL_MODES.find((m) => m === value);
      if (!mode) return `--mode must be one of ${MODEL_MODES.join(', ')}, got "${value}"`;
      options.mode = mode;
      return null;
    }
    case '--host':
      options.host = value;
      return null;
    case '--model':
      options.model = value;
      return null;
    case '--api-key':
      options.apiKey = value;
      return null;
  }
}

export function parseModelSandboxArgs(argv: string[]): CliOptions | string {
  const options: CliOptions = {
    port: DEFAULT_PORT,
    host: '127.0.0.1',
    mode: 'cooperative',
    model: DEFAULT_MODEL,
    apiKey: undefined,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (!flag || !isFlag(flag)) return `unknown argument "${arg}"`;
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i += 1;
    if (value === undefined || value === '') return `${flag} needs a value`;
    const problem = apply(options, flag, value);
    if (problem) return problem;
  }
  return options;
}

/**
 * Runs the sandbox as a command. Resolves with the running sandbox, or undefined after
 * printing a usage error (exit code 2).
 */
export async function runModelSandboxCli(argv: string[]): Promise<ModelSandbox | undefined> {
  const options = parseModelSandboxArgs(argv);
  if (typeof options === 'string') {
    process.stderr.write(`llm sandbox: ${options}\n${USAGE}\n`);
    process.exitCode = 2;
    return undefined;
  }
  const sandbox = await startModelSandbox({
    port: options.port,
    host: options.host,
    mode: options.mode,
    model: options.model,
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
  });
  process.stdout.write(`llm sandbox listening on ${sandbox.url}\n`);
  process.stdout.write(
    `mode: ${sandbox.mode} (POST ${sandbox.url.replace(/\/v1$/, '')}/__sandbox/mode to change)\n`,
  );
  process.stdout.write(`model: ${options.model}\n`);
  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return sandbox;
}
