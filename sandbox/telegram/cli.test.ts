import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('runTelegramSandboxCli', () => {
  it('prints its URL as the first line, serves the Bot API and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('./sandbox/telegram/index.ts'); await m.runTelegramSandboxCli(['--port', '0']);",
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = String((await lines.next()).value);
    expect(first).toMatch(/^telegram sandbox listening on http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    const url = first.slice('telegram sandbox listening on '.length);
    const response = await fetch(`${url}/bot1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/getMe`);
    const body = (await response.json()) as { ok: boolean; result: { id: number } };
    expect({ status: response.status, ok: body.ok, id: body.result.id }).toStrictEqual({
      status: 200,
      ok: true,
      id: 1,
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses an invalid port with exit code 2', async () => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('./sandbox/telegram/index.ts'); await m.runTelegramSandboxCli(['--port', 'abc']);",
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, stderr }).toStrictEqual({
      code: 2,
      stderr:
        'telegram sandbox: --port needs a number from 0 to 65535 (0 picks a free port), got "abc"\n' +
        'usage: tidings sandbox telegram [--port N] [--host H]\n',
    });
  });
});
