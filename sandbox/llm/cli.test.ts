import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { parseModelSandboxArgs } from './cli.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

function run(args: string[], stdio: 'pipe' | 'ignore' = 'pipe') {
  return spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import('./sandbox/cli.ts'); process.exitCode = await m.runSandboxCli(${JSON.stringify(args)});`,
    ],
    { cwd: ROOT, stdio: ['ignore', stdio, 'pipe'] },
  );
}

describe('tidings sandbox llm', () => {
  it('prints its base URL first, serves the chosen mode and stops on SIGTERM', async () => {
    const child = run(['llm', '--port', '0', '--mode', 'gullible', '--model', 'local-qwen']);
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const lines = createInterface({ input: child.stdout ?? process.stdin })[Symbol.asyncIterator]();
    const first = String((await lines.next()).value);
    expect(first).toMatch(/^llm sandbox listening on http:\/\/127\.0\.0\.1:[1-9]\d*\/v1$/);
    const url = first.slice('llm sandbox listening on '.length);
    const models = (await (await fetch(`${url}/models`)).json()) as { data: { id: string }[] };
    const mode = (await (await fetch(`${url.replace(/\/v1$/, '')}/__sandbox/mode`)).json()) as {
      mode: string;
    };
    expect([models.data.map((m) => m.id), mode.mode]).toStrictEqual([['local-qwen'], 'gullible']);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses an unknown mode with exit code 2', async () => {
    const child = run(['llm', '--mode', 'sleepy'], 'ignore');
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, stderr }).toStrictEqual({
      code: 2,
      stderr:
        'llm sandbox: --mode must be one of cooperative, gullible, failing, slow, got "sleepy"\n' +
        'usage: tidings sandbox llm [--port N] [--host H] [--mode cooperative|gullible|failing|slow] [--model ID] [--api-key KEY]\n',
    });
  });
});

describe('parseModelSandboxArgs', () => {
  it('reads flags with a space or an equals sign, with defaults for the rest', () => {
    expect(parseModelSandboxArgs(['--port=0', '--api-key', 'sk-1'])).toStrictEqual({
      port: 0,
      host: '127.0.0.1',
      mode: 'cooperative',
      model: 'tidings-scripted',
      apiKey: 'sk-1',
    });
  });

  it.each([
    [
      ['--port', '70000'],
      '--port needs a number from 0 to 65535 (0 picks a free port), got "70000"',
    ],
    [['--model'], '--model needs a value'],
    [['--verbose'], 'unknown argument "--verbose"'],
  ])('refuses %j', (argv, problem) => {
    expect(parseModelSandboxArgs(argv)).toBe(problem);
  });
});
