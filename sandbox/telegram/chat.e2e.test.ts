import { Bot, InlineKeyboard } from 'grammy';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium } from '../../test/support/chromium.harness.ts';
import { createTelegramControl } from './control-client.ts';
import { startTelegramSandbox } from './index.ts';
import type { DemoMail, TelegramSandbox } from './index.ts';

if (!hasChromium) {
  console.warn(
    `\n[telegram sandbox] chat.e2e.test.ts SKIPPED: ${CHROMIUM} does not exist (apt-get install -y chromium).\n`,
  );
}

const TOKEN = '6060:AAWebChatDrivenByChromiumAgainstGrammy_1';
const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

describe.skipIf(!hasChromium)('the web chat', () => {
  let sandbox: TelegramSandbox;
  let bot: Bot;
  let running: Promise<void>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sandbox = await startTelegramSandbox({});
    bot = new Bot(TOKEN, { client: { apiRoot: sandbox.url } });
    bot.command('login', async (ctx) => {
      await ctx.reply('Sign in to the stats', {
        reply_markup: new InlineKeyboard().login(
          'Sign in',
          `${sandbox.url}/__sandbox/stats?via=login`,
        ),
      });
    });
    bot.on('message:text', async (ctx) => {
      await ctx.replyWithChatAction('typing');
      await ctx.reply(
        `Hello <b>${escapeHtml(ctx.from.first_name)}</b>, you wrote: ${escapeHtml(ctx.message.text)}`,
        {
          parse_mode: 'HTML',
          reply_markup: new InlineKeyboard()
            .text('Confirm', 'confirm')
            .url('Docs', 'https://example.com/docs')
            .url('Stats', `${sandbox.url}/__sandbox/stats`),
        },
      );
    });
    bot.callbackQuery('confirm', async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'Confirmed' });
      await ctx.editMessageText('Confirmed, thank you.');
    });
    await new Promise<void>((resolve, reject) => {
      running = bot.start({ onStart: () => resolve() });
      running.catch(reject);
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 390, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    await running;
    await sandbox?.close();
  });

  it('sends a typed message, shows the bot answer and presses its button', async () => {
    await page.goto(`${sandbox.url}/chat?user=5001&name=Robin`);
    await page.locator('body[data-ready="true"]').waitFor();
    const input = page.getByLabel('Message to Tidings');
    await input.fill('hello <there> & /help');
    await input.press('Enter');

    const answer = page.locator('.msg.bot').filter({ hasText: 'you wrote' });
    await answer.waitFor();
    expect({
      user: await page.locator('.msg.user .text').textContent(),
      bot: await answer.locator('.text').textContent(),
      bold: await answer.locator('.text strong').textContent(),
      command: await page.locator('.msg.user .text button.command').textContent(),
      link: await answer.getByRole('link', { name: /Docs/ }).evaluate((a) => ({
        href: a.getAttribute('href'),
        target: a.getAttribute('target'),
        rel: a.getAttribute('rel'),
      })),
    }).toStrictEqual({
      user: 'hello <there> & /help',
      bot: 'Hello Robin, you wrote: hello <there> & /help',
      bold: 'Robin',
      command: '/help',
      link: { href: 'https://example.com/docs', target: '_blank', rel: 'noopener noreferrer' },
    });

    // A URL button opens its page in a new tab; the chat stays where it is.
    const opened = page.waitForEvent('popup');
    await answer.getByRole('link', { name: /Stats/ }).click();
    const tab = await opened;
    await tab.waitForLoadState();
    expect({ tab: tab.url(), chat: new URL(page.url()).pathname }).toStrictEqual({
      tab: `${sandbox.url}/__sandbox/stats`,
      chat: '/chat',
    });
    await tab.close();

    await answer.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('.msg.bot').filter({ hasText: 'Confirmed, thank you.' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Confirmed' }).waitFor();
    expect(await page.locator('.msg.bot .meta').textContent()).toMatch(/^edited /);
    expect(await page.getByRole('button', { name: 'Confirm' }).count()).toBe(0);
    expect((await createTelegramControl(sandbox.url).inbox(5001)).map((m) => m.text)).toStrictEqual(
      ['Confirmed, thank you.'],
    );
  });

  it("opens a login button with the user's signed data, in a new tab", async () => {
    const control = createTelegramControl(sandbox.url);
    await control.settings({ loginDomain: '127.0.0.1' });
    await page.goto(`${sandbox.url}/chat?user=5002&name=Kim`);
    await page.locator('body[data-ready="true"]').waitFor();
    const input = page.getByLabel('Message to Tidings');
    await input.fill('/login');
    await input.press('Enter');
    const answer = page.locator('.msg.bot').filter({ hasText: 'Sign in to the stats' });
    await answer.waitFor();
    const opened = page.waitForEvent('popup');
    await answer.getByRole('link', { name: /Sign in/ }).click();
    const tab = await opened;
    await tab.waitForLoadState();
    const url = new URL(tab.url());
    expect({
      page: `${url.origin}${url.pathname}`,
      via: url.searchParams.get('via'),
      id: url.searchParams.get('id'),
      name: url.searchParams.get('first_name'),
      hash: /^[0-9a-f]{64}$/.test(url.searchParams.get('hash') ?? ''),
    }).toStrictEqual({
      page: `${sandbox.url}/__sandbox/stats`,
      via: 'login',
      id: '5002',
      name: 'Kim',
      hash: true,
    });
    await tab.close();
  });

  it('shows "Drop a new mail" only when offered, and drops a ready-made or written mail', async () => {
    await page.goto(`${sandbox.url}/chat?user=5003&name=Lee`);
    await page.locator('body[data-mail="none"]').waitFor();
    const withoutOffer = await page.getByRole('button', { name: 'Drop a new mail' }).isVisible();

    const dropped: DemoMail[] = [];
    const demo = await startTelegramSandbox({
      demoMail: {
        to: 'alex@example.com',
        everySeconds: 10,
        canned: [{ from: 'Alice Chen <alice@northwind.example>', subject: 'Invoice 2291' }],
        async drop(mail) {
          dropped.push(mail);
          return mail.subject === 'Nope' ? { refused: 'Not today.' } : { id: 'm1' };
        },
      },
    });
    try {
      await page.goto(`${demo.url}/chat?user=5003&name=Lee`);
      await page.locator('body[data-mail="offered"]').waitFor();
      await page.getByRole('button', { name: 'Drop a new mail' }).click();
      const dialog = page.getByRole('dialog', { name: 'Drop a new mail' });
      await dialog.getByRole('button', { name: 'Drop it' }).click();
      await page.getByRole('status').filter({ hasText: 'New mail in alex@example.com' }).waitFor();

      await page.getByRole('button', { name: 'Drop a new mail' }).click();
      await dialog.getByLabel('Ready-made').selectOption({ label: 'Write your own…' });
      await dialog.getByLabel('From').fill('Kim <kim@example.org>');
      await dialog.getByLabel('Subject').fill('Nope');
      await dialog.getByRole('button', { name: 'Drop it' }).click();
      const alert = dialog.getByRole('alert').filter({ hasText: 'Not dropped' });
      await alert.waitFor();
      const refusal = await alert.textContent();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect({ withoutOffer, dropped, refusal }).toStrictEqual({
        withoutOffer: false,
        dropped: [
          { from: 'Alice Chen <alice@northwind.example>', subject: 'Invoice 2291' },
          { from: 'Kim <kim@example.org>', subject: 'Nope' },
        ],
        refusal: 'Not dropped: Not today.',
      });
    } finally {
      await demo.close();
    }
  });
});
