import path from 'node:path';
import { createLogger, type Config } from '../config/index.ts';
import { guardSchema, openDatabase, type Database } from '../store/index.ts';
import { UPDATE_DIR } from '../update/files.ts';

/**
 * The device's database for a command, through the same guard as hearthd's start: a command run
 * right after an update (or a rollback) snapshots or restores exactly as hearthd would, and never
 * migrates without a snapshot to come back to.
 */
export async function openDataDatabase(config: Config): Promise<Database> {
  const file = path.join(config.dataDir, 'hearth.db');
  await guardSchema(file, { snapshotDir: path.join(config.dataDir, UPDATE_DIR), version: config.version, logger: createLogger(config.logLevel) });
  return openDatabase(file);
}
