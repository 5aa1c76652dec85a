import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../src/db/index.ts';
import {
  CHECK_IDS,
  type DoctorReport,
  doctorCommand,
  renderJson,
  renderText,
  runDoctor,
} from '../../src/doctor/index.ts';
import { createVault, parseMasterKeys } from '../../src/vault/index.ts';
import { cleanUpCliProcesses, runCli } from '../support/cli.harness.ts';
import {
  botCall,
  CLIENT_ID,
  checkOf,
  closedPortUrl,
  PUBLIC_URL,
  RISC_URL,
  startWorld,
  type World,
} from '../doctor/doctor.harness.ts';

cleanUpCliProcesses();

let world: World;
let serviceAccount: { file: string; privateKey: string };
/** Everything a check could leak: the secrets and the parts that make them up. */
let secrets: string[];

beforeAll(async () => {
  world = await startWorld();
  const handle = await openDatabase({ databaseUrl: null, dataDir: world.dataDir });
  await migrateToLatest(handle.db, handle.kind);
  await createVault(handle.db, parseMasterKeys(world.secrets.masterKey));
  await handle.close();
  serviceAccount = await world.serviceAccount();
  await world.registerStream(RISC_URL);
  const keyBody = serviceAccount.privateKey.split('\n').filter((line) => !line.startsWith('-'));
  secrets = [
    ...Object.values(world.secrets),
    world.secrets.botToken.split(':')[1] ?? '',
    ...keyBody,
  ].filter((secret) => secret.length >= 16);
});
afterAll(async () => {
  await world.close();
});

function greenEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return world.env({ GOOGLE_RISC_SERVICE_ACCOUNT_FILE: serviceAccount.file, ...overrides });
}

function expectNoSecret(text: string): void {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('tidings doctor, the command', () => {
  it('exits 0 with every check passed on a healthy installation, as JSON', async () => {
    const { code, stdout, stderr } = await runCli(['doctor', '--json'], greenEnv());
    const report = JSON.parse(stdout.join('\n')) as DoctorReport;
    expect({
      code,
      ok: report.ok,
      checks: report.checks.map((check) => [check.id, check.status]),
    }).toStrictEqual({
      code: 0,
      ok: true,
      checks: CHECK_IDS.map((id) => [id, 'pass']),
    });
    expect(checkOf(report, 'telegram-bot').summary).toContain('@tidings_sandbox_bot');
    expectNoSecret(stdout.join('\n') + stderr);
  });

  it('exits 1 and says what to fix under each failure, without a secret', async () => {
    const env = greenEnv({
      GOOGLE_CLIENT_SECRET: 'GOCSPX-wrong-secret-for-doctor',
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: world.secrets.webhookSecret,
    });
    const { code, stdout, stderr } = await runCli(['doctor'], env);
    const failing = stdout.filter((line) => line.startsWith('✗'));
    expect({
      code,
      failing,
      fixUnderClient: stdout[stdout.indexOf(failing[0] ?? '') + 1],
      last: stdout.at(-1),
    }).toStrictEqual({
      code: 1,
      failing: [
        `✗ google-client: Google refused the client secret of ${CLIENT_ID} (GOOGLE_CLIENT_SECRET): Unauthorized`,
        `✗ telegram-delivery: webhook mode, but no webhook is set (Tidings registers ${PUBLIC_URL}/telegram/webhook when it starts)`,
      ],
      fixUnderClient:
        '    Copy the current secret of that OAuth client from the Google Cloud console into GOOGLE_CLIENT_SECRET (a reset secret replaces the old one).',
      last: '2 checks failed: fix them and run tidings doctor again.',
    });
    expectNoSecret(stdout.join('\n') + stderr);
  });

  it('exits 2 for an option it does not know', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await doctorCommand(
      world.env(),
      ['--verbose'],
      {},
      {
        out: (line) => out.push(line),
        err: (line) => err.push(line),
      },
    );
    expect({ code, out, err }).toStrictEqual({
      code: 2,
      out: [],
      err: ['tidings doctor: unknown option "--verbose"\nusage: tidings doctor [--json]'],
    });
  });
});

describe('tidings doctor, in-process', () => {
  const deps = () => world.deps;

  it('reports an invalid configuration as a failed first check listing every problem', async () => {
    const report = await runDoctor({ PORT: 'eighty', TELEGRAM_BOT_TOKEN: 'abc' }, deps());
    expect(report.checks[0]).toStrictEqual({
      id: 'config',
      status: 'fail',
      summary: 'the configuration is invalid: 2 settings are wrong',
      fix: 'Set them in the environment (or the .env file your process manager loads) and run tidings doctor again.',
      details: {
        problems: [
          'PORT must be a port number, e.g. 8080',
          'TELEGRAM_BOT_TOKEN must look like 123456789:AA… (from @BotFather)',
        ],
      },
    });
    expect([report.ok, report.checks.slice(1).every((check) => check.status === 'skip')]).toEqual([
      false,
      true,
    ]);
    expect(renderText(report).slice(0, 4)).toStrictEqual([
      '✗ config: the configuration is invalid: 2 settings are wrong',
      '    - PORT must be a port number, e.g. 8080',
      '    - TELEGRAM_BOT_TOKEN must look like 123456789:AA… (from @BotFather)',
      '    Set them in the environment (or the .env file your process manager loads) and run tidings doctor again.',
    ]);
  });

  it('says to set TIDINGS_MASTER_KEY when production has none', async () => {
    const report = await runDoctor(
      { NODE_ENV: 'production', PUBLIC_URL: 'https://t.example.com' },
      deps(),
    );
    expect(report.checks[0]?.details).toStrictEqual({
      problems: [
        "TIDINGS_MASTER_KEY is required in production (generate one: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\")",
      ],
    });
  });

  it('skips what is not configured and passes', async () => {
    const report = await runDoctor(
      {
        DATA_DIR: world.dataDir,
        TIDINGS_MASTER_KEY: world.secrets.masterKey,
      },
      deps(),
    );
    expect(report.checks.map((check) => [check.id, check.status])).toStrictEqual(
      CHECK_IDS.map((id) => [
        id,
        id === 'config' || id === 'database' || id === 'master-key' ? 'pass' : 'skip',
      ]),
    );
    expect(report.ok).toBe(true);
  });

  it('never shows a secret, whatever fails', async () => {
    await botCall(world, 'setWebhook', {
      url: 'https://elsewhere.example.com/telegram/webhook',
      secret_token: world.secrets.webhookSecret,
    });
    try {
      const gone = await closedPortUrl();
      const variants: Record<string, string>[] = [
        {},
        { GOOGLE_CLIENT_SECRET: `${world.secrets.clientSecret}x` },
        { GOOGLE_CLIENT_ID: 'unknown-client' },
        { TIDINGS_MASTER_KEY: randomBytes(32).toString('base64') },
        { TIDINGS_MASTER_KEY: `${world.secrets.masterKey}!` },
        { TELEGRAM_BOT_TOKEN: `${world.secrets.botToken.slice(0, 30)}` },
        { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: world.secrets.webhookSecret },
        { GOOGLE_ISSUER: gone, TELEGRAM_API_ROOT: gone, GOOGLE_RISC_API_ROOT: gone },
        { DATABASE_URL: `postgres://u:${world.secrets.clientSecret}@${new URL(gone).host}/x` },
        { NODE_ENV: 'production', METRICS_TOKEN: 'short' },
      ];
      const outputs: string[] = [];
      for (const overrides of variants) {
        const report = await runDoctor(greenEnv(overrides), deps());
        outputs.push(renderText(report).join('\n'), renderJson(report));
      }
      const all = outputs.join('\n');
      expect(all).toContain('✗');
      expectNoSecret(all);
    } finally {
      await botCall(world, 'deleteWebhook');
    }
  });
});
