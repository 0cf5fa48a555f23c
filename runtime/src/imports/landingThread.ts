// The landing thread: the import thread's own, started with it. It writes the batches the import
// thread reads into the store while the next ones are read, so that on two cores the parsing and
// SQLite's writes overlap instead of following each other (a million transactions: the reading
// alone took longer than SQLite's whole ceiling, so one thread could not reach half of it).
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { createImportLanding, isDiskFullError, openMigratedDatabase, type Database, type ImportLanding } from '../store/index.ts';
import type { FromLandingThread, ToLandingThread } from './importProtocol.ts';

const port = parentPort!;
const send = (message: FromLandingThread) => port.postMessage(message);

let db: Database | undefined;
let landing: ImportLanding | undefined;

/** Closes the import's connection, which rolls back whatever was not committed. */
function close(): void {
  landing = undefined;
  db?.close();
  db = undefined;
}

function failed(error: unknown): void {
  try {
    landing?.abandon();
  } finally {
    close();
  }
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error), diskFull: isDiskFullError(error) });
}

port.on('message', (message: ToLandingThread) => {
  if (message.type === 'open') {
    close();
    try {
      db = openMigratedDatabase(message.databaseFile);
      landing = createImportLanding(db, path.dirname(message.databaseFile), message.source, message.at);
    } catch (error) {
      failed(error);
    }
    return;
  }
  // After a failure the rest of the import's batches find no landing: its failure was sent.
  if (!landing) return;
  try {
    if (message.type === 'write') {
      landing.write(message.writes);
      send({ type: 'written' });
    } else if (message.type === 'land') {
      const landed = landing.land();
      close();
      send({ type: 'landed', ...landed });
    } else {
      landing.abandon();
      close();
      send({ type: 'abandoned' });
    }
  } catch (error) {
    failed(error);
  }
});
