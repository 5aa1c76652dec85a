/**
 * Runs every check against one environment and puts the findings in a fixed order. The
 * database, Google, Cross-Account Protection and Telegram groups run side by side (each
 * network call has its own time limit); inside a group, a check that needs an earlier
 * one's result waits for it, and is skipped when that one could not give it.
 */
import type { Config } from '../config.ts';
import { checkClock } from './clock-check.ts';
import { checkConfig } from './config-check.ts';
import { checkDatabase } from './database-check.ts';
import {
  checkApiRoot,
  checkClientCredentials,
  checkDiscovery,
  checkRedirectUri,
} from './google-checks.ts';
import type { DoctorDeps } from './http-probe.ts';
import { checkMasterKey } from './master-key-check.ts';
import { checkMetrics } from './metrics-check.ts';
import { type CheckResult, type DoctorReport, reportOf, skip } from './report.ts';
import { checkRisc } from './risc-check.ts';
import { checkBotToken, checkUpdateDelivery } from './telegram-checks.ts';

/** Every check, in the order they are shown. */
export const CHECK_IDS = [
  'config',
  'database',
  'master-key',
  'google-discovery',
  'google-client',
  'google-redirect-uri',
  'google-api',
  'clock',
  'google-risc',
  'telegram-bot',
  'telegram-delivery',
  'metrics',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

const GOOGLE_OFF = 'Google connect is off: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET';
const TELEGRAM_OFF = 'the Telegram bot is off: set TELEGRAM_BOT_TOKEN';

async function databaseGroup(config: Config, deps: DoctorDeps): Promise<CheckResult[]> {
  const database = await checkDatabase(config, deps);
  return [database.result, await checkMasterKey(config, database.state)];
}

async function googleGroup(config: Config, deps: DoctorDeps): Promise<CheckResult[]> {
  const ids = ['google-discovery', 'google-client', 'google-redirect-uri', 'google-api', 'clock'];
  if (!config.google.clientId) return ids.map((id) => skip(id, GOOGLE_OFF));
  const [discovery, api] = await Promise.all([
    checkDiscovery(config, deps),
    checkApiRoot(config, deps),
  ]);
  return [
    discovery.result,
    await checkClientCredentials(config, discovery.tokenEndpoint, deps),
    checkRedirectUri(config),
    api,
    discovery.result.status === 'fail' && !discovery.clocks
      ? skip('clock', 'not checked: Google could not be reached')
      : checkClock(discovery.clocks),
  ];
}

async function riscGroup(config: Config, deps: DoctorDeps): Promise<CheckResult[]> {
  if (!config.google.clientId) return [skip('google-risc', GOOGLE_OFF)];
  return [await checkRisc(config, deps)];
}

async function telegramGroup(config: Config, deps: DoctorDeps): Promise<CheckResult[]> {
  if (!config.telegram.botToken) {
    return [skip('telegram-bot', TELEGRAM_OFF), skip('telegram-delivery', TELEGRAM_OFF)];
  }
  const bot = await checkBotToken(config, deps);
  if (bot.status === 'fail') {
    return [bot, skip('telegram-delivery', 'not checked: the bot token check failed')];
  }
  return [bot, await checkUpdateDelivery(config, deps)];
}

export async function runDoctor(
  env: Record<string, string | undefined>,
  deps: DoctorDeps,
): Promise<DoctorReport> {
  const { result, config } = checkConfig(env);
  if (!config) {
    const rest = CHECK_IDS.slice(1).map((id) =>
      skip(id, 'not checked: the configuration is invalid'),
    );
    return reportOf([result, ...rest]);
  }
  const groups = await Promise.all([
    databaseGroup(config, deps),
    googleGroup(config, deps),
    riscGroup(config, deps),
    telegramGroup(config, deps),
  ]);
  return reportOf([result, ...groups.flat(), checkMetrics(config)]);
}
