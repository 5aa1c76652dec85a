/**
 * `tidings backup` and `tidings restore` as an operator uses them: a backup of a running
 * demo with a connected Google account, restored into another folder and started there
 * against the same sandboxes with the master key kept apart; and a backup taken while
 * writes happen, which restores to the database as it stood between two transactions.
 * The refusals are in test/backup/refusals.test.ts.
 */
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBackup } from '../../src/backup/write-backup.ts';
import { migrateToLatest, openDatabase } from '../../src/db/index.ts';
import { configFor, entries, run, userNames } from '../backup/backup.harness.ts';
import {
  cleanUpCliProcesses,
  freshDataDir,
  runCli,
  spawnCli,
  startServer,
  stopServer,
} from '../support/cli.harness.ts';
import { connectAlexInDemo } from '../support/demo.harness.ts';

cleanUpCliProcesses();

const MASTER_KEY_LINE =
  'the master key is NOT in the backup: keep TIDINGS_MASTER_KEY (in development, the file DATA_DIR/master.key) stored apart from it; a restore needs both, and without the key no stored Google connection can be opened';

/** `ID  EMAIL  STATUS ... user=USER` → the parts a restore must keep. */
function connectionOf(line: string) {
  const [id, email, status] = line.split(/\s+/);
  return { id, email, status, user: /user=(\S+)/.exec(line)?.[1] };
}

describe('tidings backup of a running demo, and tidings restore', () => {
  it('restores into an empty folder a copy that serves the same connections with the kept key', {
    timeout: 180_000,
  }, async () => {
    const demoDir = await freshDataDir();
    const demo = spawnCli(
      ['demo', '--port', '0', '--google-port', '0', '--telegram-port', '0', '--data-dir', demoDir],
      {},
    );
    // Alex connects alex@example.com through the chat's button.
    const { google } = await connectAlexInDemo(demo);

    // The backup, taken by the running demo over its admin socket.
    const file = path.join(await freshDataDir(), 'tidings.backup');
    const started = performance.now();
    const backup = await runCli(['backup', file], { DATA_DIR: demoDir });
    const seconds = (performance.now() - started) / 1000;
    const size = (await stat(file)).size;
    console.info(`backup of the demo database: ${size} bytes in ${seconds.toFixed(2)} s (CLI)`);

    // The operator keeps the master key apart from the backup.
    const keptKey = path.join(await freshDataDir(), 'master.key');
    await copyFile(path.join(demoDir, 'master.key'), keptKey);
    const masterKey = (await readFile(keptKey, 'utf8')).trim();

    const restoredDir = path.join(await freshDataDir(), 'restored');
    const restore = await runCli(['restore', file], {
      DATA_DIR: restoredDir,
      TIDINGS_MASTER_KEY: masterKey,
    });
    const restoredEntries = await entries(restoredDir);

    const server = await startServer({
      DATA_DIR: restoredDir,
      TIDINGS_MASTER_KEY: masterKey,
      GOOGLE_CLIENT_ID: 'tidings-demo',
      GOOGLE_CLIENT_SECRET: 'tidings-demo-secret',
      GOOGLE_ISSUER: google,
      GOOGLE_RISC_ISSUER: google,
      GOOGLE_API_ROOT: google,
    });
    const before = await runCli(['connections', 'list'], { DATA_DIR: demoDir });
    const after = await runCli(['connections', 'list'], { DATA_DIR: restoredDir });
    const userId = connectionOf(after.stdout[0] ?? '').user ?? '';
    const created = await runCli(['api-keys', 'create', userId, 'after-restore'], {
      DATA_DIR: restoredDir,
    });
    const apiKey = created.stdout.at(-1) ?? '';
    // Reading mail opens the connection's sealed tokens: the kept key opens the vault.
    const unread = await fetch(`${server.url}/v1/gmail/unread`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const unreadBody = (await unread.json()) as { inbox?: { unreadMessages?: number } };
    await stopServer(server.cli);
    demo.child.kill('SIGINT');
    await demo.exited;

    expect({
      backup: { code: backup.code, stderr: backup.stderr, lines: backup.stdout.length },
      backupSays: [
        backup.stdout[0],
        /^size: [\d.]+ [KM]iB, schema version: \d{4}-[a-z-]+, Tidings \S+, taken at \S+Z$/.test(
          backup.stdout[1] ?? '',
        ),
        backup.stdout[2],
      ],
      mode: ((await stat(file)).mode & 0o777).toString(8),
      partialLeft: await stat(`${file}.partial`).then(
        () => true,
        () => false,
      ),
      restore: { code: restore.code, stderr: restore.stderr },
      restoreSays: [
        restore.stdout[0],
        /^schema version: \d{4}-[a-z-]+ \(up to date\)$/.test(restore.stdout[2] ?? ''),
        restore.stdout[3],
        restore.stdout[4],
      ],
      // Only the database: the development key file stayed where the operator keeps it.
      restoredEntries,
      connections: after.stdout.map(connectionOf),
      unread: { status: unread.status, counted: (unreadBody.inbox?.unreadMessages ?? 0) > 0 },
    }).toStrictEqual({
      backup: { code: 0, stderr: '', lines: 3 },
      backupSays: [`backup written: ${file}`, true, MASTER_KEY_LINE],
      mode: '600',
      partialLeft: false,
      restore: { code: 0, stderr: '' },
      restoreSays: [
        `restored: ${file} into ${path.join(restoredDir, 'pglite')}`,
        true,
        'found: 1 user(s), 1 connection(s) (1 active), 0 API key(s)',
        'master key: the key in TIDINGS_MASTER_KEY opens this vault; keep using the same key(s)',
      ],
      restoredEntries: ['pglite'],
      connections: before.stdout.map(connectionOf),
      unread: { status: 200, counted: true },
    });
    expect(after.stdout[0]).toContain('alex@example.com  active');
  });
});

describe('a backup taken while writes happen', () => {
  it('restores to the database as it stood between two transactions', {
    timeout: 180_000,
  }, async () => {
    const dataDir = await freshDataDir();
    const database = await openDatabase({ databaseUrl: null, dataDir });
    await migrateToLatest(database.db, 'pglite');
    // Each transaction adds three users, one statement at a time: a backup holding one or
    // two of a batch would have cut a transaction in half.
    let committed = 0;
    let writing = true;
    const writer = (async () => {
      for (let batch = 0; writing; batch++) {
        await database.db.transaction().execute(async (trx) => {
          for (const member of ['a', 'b', 'c']) {
            await trx
              .insertInto('users')
              .values({
                id: crypto.randomUUID(),
                display_name: `batch-${batch}-${member}`,
                settings: '{}',
              })
              .execute();
          }
        });
        committed = batch + 1;
        // Writes arrive as events (requests, updates): PGlite answers without giving the
        // event loop a turn, so a loop of bare transactions would starve the backup's I/O.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const backups: Array<{ file: string; atLeast: number; atMost: number }> = [];
    const folder = await freshDataDir();
    for (let i = 0; i < 2; i++) {
      const atLeast = committed;
      const file = path.join(folder, `during-${i}.backup`);
      await writeBackup(database, file, { force: false, now: () => new Date() });
      backups.push({ file, atLeast, atMost: committed + 1 });
    }
    writing = false;
    await writer;
    await database.close();

    const restored = [];
    for (const backup of backups) {
      const target = path.join(await freshDataDir(), 'restored');
      await mkdir(path.dirname(target), { recursive: true });
      const result = await run('restore', configFor(target), [backup.file]);
      const names = await userNames(target);
      const batches = new Map<string, number>();
      for (const name of names) {
        const batch = name.replace(/-[abc]$/, '');
        batches.set(batch, (batches.get(batch) ?? 0) + 1);
      }
      restored.push({
        code: result.code,
        err: result.err,
        wholeBatches: [...batches.values()].every((members) => members === 3),
        inRange: batches.size >= backup.atLeast && batches.size <= backup.atMost,
      });
    }
    expect(restored).toStrictEqual(
      backups.map(() => ({ code: 0, err: [], wholeBatches: true, inRange: true })),
    );
  });
});
