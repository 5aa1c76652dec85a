/**
 * The commands `tidings --help` lists, each run as a real child process on the pinned Node
 * with a fresh DATA_DIR and no stdin: every listed command runs, nothing unlisted is
 * accepted, and usage errors say how to call the command.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cleanUpCliProcesses,
  freshDataDir,
  runCli,
  spawnCli,
  startServer,
  stopServer,
} from '../support/cli.harness.ts';
const ROTATE_LINES = [
  'vault key version 2 is now current',
  're-wrapped 0 record key(s)',
  'older versions stay usable until retired: tidings keys retire <version>',
];

cleanUpCliProcesses();

const NO_CONNECTION = '00000000-0000-0000-0000-000000000000';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Runs a command that serves until SIGTERM: waits for its ready line and one answered request. */
async function serveAndStop(command: string, args: string[], env: Record<string, string>) {
  const cli = spawnCli(args, env);
  const ready = await cli.line((line) => /(listening|"url"|^tidings: http)/.test(line));
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(ready)?.[0] ?? '';
  // Servers announce themselves just before installing their signal handlers: one answered
  // request means the handlers are in place.
  await (await fetch(url)).arrayBuffer();
  return { command, ...(await stopServer(cli)) };
}

describe('tidings --help', () => {
  it('lists exactly the commands that run', { timeout: 240_000 }, async () => {
    // Google settings that are never called: connect links only need them to be present.
    const env = {
      DATA_DIR: await freshDataDir(),
      GOOGLE_CLIENT_ID: 'test-client.apps.googleusercontent.com',
      GOOGLE_CLIENT_SECRET: 'test-client-secret',
    };
    const help = await runCli(['--help'], env);
    const listed = help.stdout
      .slice(help.stdout.indexOf('Commands:') + 1)
      .map((line) => /^ {2}([a-z-]+(?: [a-z-]+)?)/.exec(line)?.[1])
      .filter((command) => command !== undefined);

    const served = await Promise.all([
      serveAndStop('sandbox google', ['sandbox', 'google', '--port', '0'], env),
      serveAndStop('sandbox telegram', ['sandbox', 'telegram', '--port', '0'], env),
      serveAndStop('sandbox llm', ['sandbox', 'llm', '--port', '0'], env),
      serveAndStop('demo', ['demo', '--port', '0', '--google-port', '0', '--telegram-port', '0'], {
        ...env,
        DATA_DIR: await freshDataDir(),
      }),
    ]);

    // Database commands go through the running server's admin socket.
    const server = await startServer(env);
    const ran: { command: string; args: string; code: number | null; stderr: string }[] = [];
    const run = async (command: string, args: string[]) => {
      const result = await runCli(args, env);
      ran.push({ command, args: args.join(' '), code: result.code, stderr: result.stderr });
      return result.stdout;
    };
    // The foundation's own commands, output and all.
    const foundation = [
      await run('migrate', ['migrate']),
      await run('keys status', ['keys', 'status']),
      await run('keys rotate', ['keys', 'rotate']),
      await run('keys retire', ['keys', 'retire', '1']),
      await run('keys status', ['keys', 'status']),
      await run('help', ['help']),
    ];
    // The other commands: each runs and succeeds (their output is tested with their feature).
    const userId = UUID.exec(
      (await run('users add', ['users', 'add', '--name', 'Alex', '--telegram-id', '42'])).join(),
    )?.[0];
    await run('users list', ['users', 'list']);
    await run('users connect-link', ['users', 'connect-link', `${userId}`]);
    await run('connections list', ['connections', 'list', '--user', `${userId}`]);
    await run('connections events', ['connections', 'events', NO_CONNECTION]);
    await run('connections disconnect', ['connections', 'disconnect', NO_CONNECTION]);
    await run('notifications list', ['notifications', 'list']);
    const created = await run('api-keys create', ['api-keys', 'create', `${userId}`, 'ci']);
    await run('api-keys list', ['api-keys', 'list', `${userId}`]);
    const keyId = /\(id ([^)]+)\)/.exec(created.join())?.[1];
    await run('api-keys revoke', ['api-keys', 'revoke', `${keyId}`]);
    await run('openclaw config', ['openclaw', 'config', `${userId}`]);
    await run('mcp config', ['mcp', 'config', `${userId}`, '--stdio']);
    await run('mcp', ['mcp']);
    // A backup of the running server's database, restored into an empty folder.
    const backupFile = path.join(await freshDataDir(), 'ci.backup');
    await run('backup', ['backup', backupFile]);
    const restored = await runCli(['restore', backupFile], {
      ...env,
      DATA_DIR: await freshDataDir(),
    });
    ran.push({
      command: 'restore',
      args: `restore ${backupFile}`,
      code: restored.code,
      stderr: restored.stderr,
    });
    // The doctor runs; Google cannot be reached here and the bot is off, so it fails.
    await run('doctor', ['doctor', '--json']);
    const alive = server.cli.child.exitCode === null;
    served.push({ command: 'start', ...(await stopServer(server.cli)) });

    const exercised = [...served, ...ran].map((entry) => entry.command);
    expect({
      helpCode: help.code,
      unlisted: exercised.filter((command) => !listed.includes(command)),
      notRun: listed.filter((command) => !exercised.includes(command)),
      served: served.filter((entry) => entry.code !== 0),
      // Agent configuration prints its hint on stderr, so stdout stays JSON; `mcp` without
      // settings says what to set there, so stdout stays protocol messages.
      failed: ran.filter(
        (entry) =>
          entry.code !== 0 ||
          (entry.stderr !== '' && !/^(hint: |tidings mcp: set TIDINGS_URL)/.test(entry.stderr)),
      ),
      alive,
      foundation,
    }).toStrictEqual({
      helpCode: 0,
      unlisted: [],
      notRun: [],
      served: [],
      failed: [
        {
          command: 'connections disconnect',
          args: `connections disconnect ${NO_CONNECTION}`,
          code: 1,
          stderr: 'tidings: No such connection.\n',
        },
        { command: 'doctor', args: 'doctor --json', code: 1, stderr: '' },
      ],
      alive: true,
      foundation: [
        // The server applied the migrations when it started: nothing left to apply.
        ['already up to date', 'schema version: 0008-watches'],
        ['v1  current  0 record(s)'],
        ROTATE_LINES,
        ['vault key version 1 retired'],
        ['v1  retired  0 record(s)', 'v2  current  0 record(s)'],
        help.stdout,
      ],
    });
  });

  it('rejects an unknown command with exit code 2 and the help text', async () => {
    const result = await runCli(['frobnicate'], { DATA_DIR: await freshDataDir() });
    const help = await runCli(['help'], { DATA_DIR: await freshDataDir() });
    expect(result).toStrictEqual({
      code: 2,
      stdout: [],
      stderr: `tidings: unknown command "frobnicate"\n\n${help.stdout.join('\n')}\n`,
    });
  });
});

describe('tidings sandbox', () => {
  it('rejects an unknown sandbox or a bad Google sandbox argument with a usage message', async () => {
    const env = { DATA_DIR: await freshDataDir() };
    const results = await Promise.all([
      runCli(['sandbox', 'bogus'], env),
      runCli(['sandbox', 'google', '--bogus'], env),
    ]);
    expect(results).toStrictEqual([
      {
        code: 2,
        stdout: [],
        stderr:
          'usage: tidings sandbox google [--port N] [--seed DIR] | tidings sandbox telegram [--port N] | tidings sandbox llm [--port N] [--mode M]\n',
      },
      {
        code: 1,
        stdout: [],
        stderr: 'tidings: Unknown argument: --bogus. Usage: [--port N] [--host H] [--seed DIR]\n',
      },
    ]);
  });

  it('exits 2 on a bad Telegram sandbox argument', async () => {
    const result = await runCli(['sandbox', 'telegram', '--bogus'], {
      DATA_DIR: await freshDataDir(),
    });
    expect(result).toStrictEqual({
      code: 2,
      stdout: [],
      stderr:
        'telegram sandbox: unknown argument "--bogus"\n' +
        'usage: tidings sandbox telegram [--port N] [--host H]\n',
    });
  });
});
