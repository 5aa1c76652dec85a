import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTelegramControl } from '../../sandbox/telegram/index.ts';
import { cleanUpCliProcesses, freshDataDir, spawnCli } from '../support/cli.harness.ts';
import {
  chatMessage,
  connectAlexInDemo,
  DEMO_CHAT,
  dropDemoMail,
} from '../support/demo.harness.ts';

cleanUpCliProcesses();

const URL_LINE =
  /^(tidings|google sandbox|telegram sandbox|web chat): (http:\/\/127\.0\.0\.1:\d+\S*)$/;

/** A server holding a free port on 127.0.0.1, as another program would. */
async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server };
}

describe('npm run demo', () => {
  it('prints the four URLs and ready, in order; each answers; Ctrl-C stops it cleanly', {
    timeout: 90_000,
  }, async () => {
    const dataDir = await freshDataDir();
    const demo = spawnCli(
      ['demo', '--port', '0', '--google-port', '0', '--telegram-port', '0', '--data-dir', dataDir],
      {},
    );
    await demo.line((line) => line === 'ready');
    const contract = demo.stdout.slice(0, 5);
    const urls = Object.fromEntries(
      contract.slice(0, 4).map((line) => {
        const [, name, url] = URL_LINE.exec(line) ?? [];
        return [name ?? line, url ?? ''];
      }),
    );
    const statusOf = async (url: string | undefined) =>
      (await fetch(url ?? 'http://127.0.0.1:9/', { redirect: 'manual' })).status;
    const answers = {
      tidings: await statusOf(`${urls.tidings}/healthz`),
      google: await statusOf(`${urls['google sandbox']}/.well-known/openid-configuration`),
      telegram: await statusOf(`${urls['telegram sandbox']}/__sandbox/stats`),
      chat: await statusOf(urls['web chat']),
    };
    demo.child.kill('SIGINT');
    const exit = await demo.exited;
    expect({
      names: Object.keys(urls),
      chatIsTelegram: urls['web chat'] === `${urls['telegram sandbox']}/chat`,
      last: contract[4],
      answers,
      exit,
      stderr: demo.stderr(),
    }).toStrictEqual({
      names: ['tidings', 'google sandbox', 'telegram sandbox', 'web chat'],
      chatIsTelegram: true,
      last: 'ready',
      answers: { tidings: 200, google: 200, telegram: 200, chat: 200 },
      exit: { code: 0, signal: null },
      stderr: '',
    });
  });

  it('runs again on the same folder: the same vault, and the new chat is answered', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await freshDataDir();
    const args = ['demo', '--port', '0', '--google-port', '0', '--telegram-port', '0'];
    const answers = [];
    for (let run = 0; run < 2; run += 1) {
      const demo = spawnCli([...args, '--data-dir', dataDir], {});
      await demo.line((line) => line === 'ready');
      const telegram = /^telegram sandbox: (\S+)$/.exec(demo.stdout[2] ?? '')?.[1] ?? '';
      const chat = createTelegramControl(telegram);
      await chat.write(1001, '/help', 'Alex');
      const [reply] = await chat.inbox(1001, { count: 1, timeoutMs: 20_000 });
      answers.push(reply?.text.split('\n')[0]);
      demo.child.kill('SIGINT');
      await demo.exited;
    }
    expect(answers).toStrictEqual([
      'Ask me in your own words, for example:',
      'Ask me in your own words, for example:',
    ]);
  });

  it('with --model scripted, hands what the router cannot place to the scripted model', {
    timeout: 120_000,
  }, async () => {
    const demo = spawnCli(
      [
        'demo',
        ...['--port', '0', '--google-port', '0', '--telegram-port', '0'],
        ...['--model', 'scripted', '--model-port', '0', '--data-dir', await freshDataDir()],
      ],
      {},
    );
    try {
      const { chat } = await connectAlexInDemo(demo);
      const model = /^model: tidings-scripted at (\S+)\/v1$/.exec(demo.stdout[4] ?? '')?.[1];
      await chat.write(DEMO_CHAT, 'Where is lunch with Alice Chen?', 'Alex');
      const reply = (await chat.inbox(DEMO_CHAT, { count: 3, timeoutMs: 20_000 }))[2];
      const requests = (await (await fetch(`${model}/__sandbox/requests`)).json()) as unknown[];
      expect({
        answered: typeof reply?.text === 'string' && reply.text.length > 0,
        askedTheModel: JSON.stringify(requests).includes('Where is lunch with Alice Chen?'),
      }).toStrictEqual({ answered: true, askedTheModel: true });
    } finally {
      demo.child.kill('SIGINT');
      await demo.exited;
    }
  });

  it('alerts the chat about a mail dropped from the web chat, looking every WATCH_INTERVAL_SECONDS', {
    timeout: 120_000,
  }, async () => {
    const demo = spawnCli(
      [
        'demo',
        ...['--port', '0', '--google-port', '0', '--telegram-port', '0'],
        ...['--data-dir', await freshDataDir()],
      ],
      { WATCH_INTERVAL_SECONDS: '1' },
    );
    try {
      const { google, telegram, chat } = await connectAlexInDemo(demo);
      await chat.write(DEMO_CHAT, '/watch from:alice@northwind.example', 'Alex');
      // The watch starts at the mailbox as it is when it is made: drop the mail after that.
      await chatMessage(chat, DEMO_CHAT, (text) => text.includes('new mail matching'));
      const offer = (await (await fetch(`${telegram}/__sandbox/demo/mail`)).json()) as {
        to: string;
        everySeconds: number;
        canned: { from: string; subject: string }[];
      };
      const invoice = offer.canned.find((mail) => mail.subject === 'Invoice 2291');
      const dropped = await dropDemoMail(telegram, invoice ?? { from: '', subject: '' });
      const alert = await chatMessage(chat, DEMO_CHAT, (text) => text.includes('Invoice 2291'));
      const hint = demo.stdout.find((line) => line.startsWith('New mail: '));
      expect({
        offer: { to: offer.to, everySeconds: offer.everySeconds },
        invoice,
        dropped: dropped.status,
        alerted: alert.includes('Alice Chen'),
        hint: hint?.includes(`${google}/__sandbox/users/alex@example.com/messages`),
        within: hint?.endsWith('within 1 s'),
      }).toStrictEqual({
        offer: { to: 'alex@example.com', everySeconds: 1 },
        invoice: { from: 'Alice Chen <alice@northwind.example>', subject: 'Invoice 2291' },
        dropped: 201,
        alerted: true,
        hint: true,
        within: true,
      });
    } finally {
      demo.child.kill('SIGINT');
      await demo.exited;
    }
  });

  it('refuses a --model it does not know, and a taken --model-port, before starting', {
    timeout: 90_000,
  }, async () => {
    const taken = await occupyPort();
    try {
      const ports = ['--port', '0', '--google-port', '0', '--telegram-port', '0'];
      const runs = [];
      for (const model of [
        ['--model', 'gpt-4o'],
        ['--model', 'scripted', '--model-port', String(taken.port)],
      ]) {
        const demo = spawnCli(['demo', ...ports, ...model, '--data-dir', await freshDataDir()], {});
        const exit = await demo.exited;
        runs.push({ exit, stderr: demo.stderr(), ready: demo.stdout.includes('ready') });
      }
      expect(runs).toStrictEqual([
        {
          exit: { code: 1, signal: null },
          stderr:
            'tidings: --model takes one value, scripted (or set LLM_BASE_URL and LLM_MODEL)\n',
          ready: false,
        },
        {
          exit: { code: 1, signal: null },
          stderr: `tidings: port ${taken.port} is in use: pass --model-port 0 or another port\n`,
          ready: false,
        },
      ]);
    } finally {
      taken.server.close();
    }
  });

  it('says which port is taken and exits with an error instead of hanging', {
    timeout: 90_000,
  }, async () => {
    const taken = await occupyPort();
    try {
      const runs = [];
      for (const flag of ['--port', '--google-port', '--telegram-port']) {
        const ports = { '--port': '0', '--google-port': '0', '--telegram-port': '0' };
        const args = Object.entries({ ...ports, [flag]: String(taken.port) }).flat();
        const demo = spawnCli(['demo', ...args, '--data-dir', await freshDataDir()], {});
        const exit = await demo.exited;
        runs.push({ exit, stderr: demo.stderr(), ready: demo.stdout.includes('ready') });
      }
      expect(runs).toStrictEqual(
        ['--port', '--google-port', '--telegram-port'].map((flag) => ({
          exit: { code: 1, signal: null },
          stderr: `tidings: port ${taken.port} is in use: pass ${flag} 0 or another port\n`,
          ready: false,
        })),
      );
    } finally {
      taken.server.close();
    }
  });
});
