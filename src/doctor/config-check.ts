/**
 * Check 1: the environment parses into a configuration, as `tidings start` reads it. An
 * invalid one is a failed check listing every problem (never a crash); the other checks
 * need a configuration and are skipped.
 */
import { type Config, ConfigError, disabledFeatures, loadConfig } from '../config.ts';
import { type CheckResult, fail, pass } from './report.ts';

const ID = 'config';

export interface ConfigFinding {
  result: CheckResult;
  config: Config | null;
}

function describe(config: Config): string {
  const database = config.databaseUrl ? 'PostgreSQL' : 'the embedded database';
  const google = config.google.clientId ? 'Google connect on' : 'Google connect off';
  const telegram = config.telegram.botToken
    ? `Telegram bot on (${config.telegram.mode})`
    : 'Telegram bot off';
  return `the settings are valid (NODE_ENV=${config.env}; ${database}; ${google}; ${telegram})`;
}

export function checkConfig(env: Record<string, string | undefined>): ConfigFinding {
  try {
    const config = loadConfig(env);
    return { result: pass(ID, describe(config), { off: disabledFeatures(config) }), config };
  } catch (error) {
    const problems =
      error instanceof ConfigError ? [...error.problems] : [(error as Error).message];
    return {
      result: fail(
        ID,
        `the configuration is invalid: ${problems.length} setting${problems.length === 1 ? ' is' : 's are'} wrong`,
        `Set ${problems.length === 1 ? 'it' : 'them'} in the environment (or the .env file your process manager loads) and run tidings doctor again.`,
        { problems },
      ),
      config: null,
    };
  }
}
