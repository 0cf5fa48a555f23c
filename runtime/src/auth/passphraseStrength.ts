import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PassphraseAssessment } from './passphrasePolicy.ts';

// `.ts` when run from source, `.mjs` beside the esbuild bundle: the worker sits next to this module.
const workerFile = new URL(`./passphraseWorker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * The strength dictionaries take ~30 MiB of heap that a module, once loaded, never gives back.
 * They are needed only at setup and on a passphrase change, so each check runs in a worker
 * thread whose memory goes away with it.
 */
export function checkPassphrase(passphrase: string, context: string[]): Promise<PassphraseAssessment> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: { passphrase, context } });
    worker.once('message', (assessment: PassphraseAssessment) => {
      resolve(assessment);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the passphrase check stopped early (exit ${code})`)));
  });
}
