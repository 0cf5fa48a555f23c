// Runs in a worker thread: see passphraseStrength.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { assessPassphrase } from './passphrasePolicy.ts';

const { passphrase, context } = workerData as { passphrase: string; context: string[] };
parentPort!.postMessage(assessPassphrase(passphrase, context));
