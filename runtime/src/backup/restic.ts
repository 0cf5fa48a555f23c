import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Why a restic run failed, in the words of the API's error codes. */
export type ResticFailure =
  | 'wrong_recovery_key'
  | 'repository_not_found'
  | 'repository_locked'
  | 'repository_damaged'
  | 'target_unreachable'
  | 'target_refused'
  | 'restic_missing'
  | 'restic_failed';

export class ResticError extends Error {
  constructor(
    readonly code: ResticFailure,
    message: string,
    /** restic's own last words, for the log and the owner; never holds the password. */
    readonly detail: string,
  ) {
    super(message);
  }
}

export interface ResticInvocation {
  args: string[];
  /** RESTIC_REPOSITORY, the password and the backend's own variables (S3 keys). */
  env: Record<string, string>;
  cwd?: string;
  /** Each line restic prints with --json, parsed. */
  onJson?: (message: Record<string, unknown>) => void;
  signal?: AbortSignal;
  command?: string;
  /** What else the run left to explain a failure (ssh's own log): read once restic has exited. */
  diagnostics?: () => string;
}

const MESSAGES: Record<ResticFailure, string> = {
  wrong_recovery_key: 'That recovery key does not open this backup; check it against the emergency kit.',
  repository_not_found: 'There is no Hearth backup at this place.',
  repository_locked: 'The backup is locked by another run; try again in a moment.',
  repository_damaged: 'The backup is damaged or incomplete: restic could not read all of it.',
  target_unreachable: 'The backup target could not be reached, or the connection was lost.',
  target_refused: 'The backup target refused the connection: check that the device’s key or the access key is allowed there.',
  restic_missing: 'restic is not installed on this device (apt-get install restic).',
  restic_failed: 'restic failed.',
};

/**
 * restic says what went wrong in words (exit codes 10, 11 and 12 only from 0.17 on; Debian 12
 * has 0.14), so both are read. Order matters: a lost connection also fails to load files.
 */
export function classify(exitCode: number | null, stderr: string): ResticFailure {
  if (exitCode === 12 || /wrong password or no key found/i.test(stderr)) return 'wrong_recovery_key';
  if (/Permission denied \(|AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|Host key verification failed/i.test(stderr)) return 'target_refused';
  if (/ssh command exited|unable to start the sftp session|connection lost|Connection refused|Connection reset|Connection closed|no route to host|no such host|i\/o timeout|dial tcp|broken pipe|EOF while/i.test(stderr)) {
    return 'target_unreachable';
  }
  if (exitCode === 10 || /Is there a repository at the following location|repository does not exist|NoSuchBucket/i.test(stderr)) return 'repository_not_found';
  if (exitCode === 11 || /unable to create lock|repository is already locked/i.test(stderr)) return 'repository_locked';
  if (/ciphertext verification failed|invalid data returned|not found in (the )?index|no such file or directory|unexpected EOF|failed to load|LoadBlob|pack .* (incomplete|damaged)|checksum|Load\(<|decrypting blob|unable to load/i.test(stderr)) {
    return 'repository_damaged';
  }
  return 'restic_failed';
}

/** restic's last meaningful lines (its "Fatal:" one first), short enough for an error message. */
function lastWords(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const fatal = lines.findLast((line) => line.startsWith('Fatal:'));
  return (fatal ?? lines.slice(-2).join(' ')).slice(0, 500);
}

const KEPT_STDERR = 64 * 1024;

/**
 * restic's SFTP backend does not reconnect: once its ssh has exited, every retry fails the same
 * way, and restic retries each file for minutes (measured: a restore whose server died was still
 * retrying after two). The run is stopped at its first retry of a lost connection instead; a
 * connection that never opened (a refused key) ends restic by itself, with ssh's own words.
 */
const CONNECTION_GONE = /retrying after .*(connection lost|ssh command exited)/i;

/**
 * Runs restic once. The password reaches it through its environment (RESTIC_PASSWORD), never the
 * command line or a log; --json lines are handed over as they come. Rejects with a ResticError.
 */
export function runRestic(invocation: ResticInvocation): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(invocation.command ?? 'restic', invocation.args, {
      cwd: invocation.cwd,
      env: invocation.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(invocation.signal ? { signal: invocation.signal, killSignal: 'SIGINT' as const } : {}),
    });
    let stdout = '';
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (invocation.onJson && line.startsWith('{')) {
        try {
          invocation.onJson(JSON.parse(line) as Record<string, unknown>);
          return;
        } catch {
          // Not one of restic's JSON lines after all: kept with the rest.
        }
      }
      stdout += `${line}\n`;
    });
    let givenUp = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-KEPT_STDERR);
      if (!givenUp && CONNECTION_GONE.test(stderr)) {
        givenUp = true;
        child.kill('SIGTERM');
      }
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(new ResticError('restic_missing', MESSAGES.restic_missing, error.message));
      else if (error.name === 'AbortError') reject(new ResticError('restic_failed', 'The run was stopped.', 'stopped'));
      else reject(new ResticError('restic_failed', MESSAGES.restic_failed, error.message));
    });
    child.once('close', (code) => {
      if (code === 0) {
        resolve({ stdout });
        return;
      }
      if (invocation.signal?.aborted) return;
      stderr += invocation.diagnostics?.() ?? '';
      const failure = classify(code, stderr);
      reject(new ResticError(failure, MESSAGES[failure], lastWords(stderr) || `restic exited with ${code}`));
    });
  });
}
