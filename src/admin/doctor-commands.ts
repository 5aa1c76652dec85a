/**
 * The admin command `tidings doctor` sends to a running server that owns the embedded
 * database: `doctor.database` answers, in one JSON line, the migrations applied and the
 * vault's key versions (wrapped keys only; the doctor opens them with its own master key).
 * It reads and never writes.
 */
import { encodeDatabaseState, readDatabaseState } from '../doctor/database-state.ts';
import type { AdminCommand, AdminContext } from './context.ts';

export const DOCTOR_COMMANDS: Record<string, AdminCommand<Pick<AdminContext, 'database'>>> = {
  async 'doctor.database'(context) {
    return [encodeDatabaseState(await readDatabaseState(context.database.db))];
  },
};
