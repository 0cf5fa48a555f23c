// What the image tests share: the running guest (ports forwarded by ci/image-test.sh), an HTTPS
// client that reaches it by the name an owner types (hearth.local) and verifies it like a browser
// that trusts the device CA, and commands over SSH with the key the test put in hearth.txt.
import { spawnSync } from 'node:child_process';
import { appendFileSync, createReadStream, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import https from 'node:https';
import http from 'node:http';
import type { LookupFunction } from 'node:net';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the image tests through ci/image-test.sh`);
  return value;
}

export const guest = {
  httpsPort: Number(required('HEARTH_IMAGE_HTTPS_PORT')),
  httpPort: Number(required('HEARTH_IMAGE_HTTP_PORT')),
  sshPort: Number(required('HEARTH_IMAGE_SSH_PORT')),
  sshKey: required('HEARTH_IMAGE_SSH_KEY'),
  setupCode: required('HEARTH_IMAGE_SETUP_CODE'),
  /** When ci/image-test.sh started QEMU (ms since the epoch): power-on. */
  startedAt: Number(process.env.HEARTH_IMAGE_STARTED_AT ?? 0),
  figuresFile: required('HEARTH_IMAGE_FIGURES'),
};

/** The device's name as an owner first meets it; it resolves to the forwarded ports on this host. */
export const DEVICE_HOST = 'hearth.local';
let deviceHost = DEVICE_HOST;
/** The name requests use from now on: after setup, the one the owner chose (`kitchen.local`). */
export function useDeviceHost(host: string): void {
  deviceHost = host;
}

const toLoopback: LookupFunction = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

export interface DeviceRequest {
  method?: string;
  body?: unknown;
  cookie?: string;
  /** An API token, sent as a Bearer token. */
  token?: string;
  /** The device CA in PEM; without it the certificate is not checked (only to wait for boot). */
  ca?: string;
  timeoutMs?: number;
}

/** A request to https://hearth.local/… (or http:// with plain: true), by the device's current name. */
export function device(path: string, request: DeviceRequest & { plain?: boolean } = {}): Promise<Reply> {
  const plain = request.plain === true;
  const url = new URL(path, plain ? `http://${deviceHost}:${guest.httpPort}` : `https://${deviceHost}:${guest.httpsPort}`);
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: Record<string, string> = {};
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (request.cookie) headers.cookie = request.cookie;
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  const options: https.RequestOptions = {
    method: request.method ?? (payload === undefined ? 'GET' : 'POST'),
    headers,
    lookup: toLoopback,
    timeout: request.timeoutMs ?? 60_000,
    // A connection of its own each time: Node's global agent keeps connections alive, and one
    // reused just as hearthd's keep-alive time ran out (5 s, often the gap between two steps
    // here) ends in "socket hang up" with no answer.
    agent: false,
  };
  if (!plain) Object.assign(options, request.ca ? { ca: request.ca } : { rejectUnauthorized: false });
  return new Promise((resolve, reject) => {
    const req = (plain ? http : https).request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = res.headers['content-type']?.includes('json') ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      // A connection cut mid-answer ends no 'end' and no error: without this the test waited on
      // nothing, and uvu left it "Exiting early".
      res.on('close', () => {
        if (!res.complete) reject(new Error(`${options.method} ${url}: the connection closed before the answer ended`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in time`)));
    req.on('error', (error) => reject(new Error(`${options.method} ${url}: ${error.message}`, { cause: error })));
    req.end(payload);
  });
}

export interface UploadReply {
  status: number;
  /** The JSON error of a refusal (4xx), or undefined. */
  error?: { code: string; message: string };
  /** The NDJSON lines of an accepted upload, each with the time it arrived (ms since the epoch). */
  lines: { at: number; value: any }[];
}

/**
 * POSTs a file as the raw request body to https://<device>/… and reads the answer: a JSON error,
 * or NDJSON progress lines, each handed to onLine as it arrives (the caller may cut the power).
 */
export function deviceUpload(path: string, file: string, request: { cookie: string; ca: string }, onLine: (value: any) => void = () => {}): Promise<UploadReply> {
  const url = new URL(path, `https://${deviceHost}:${guest.httpsPort}`);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        headers: { cookie: request.cookie, 'content-type': 'application/octet-stream', 'content-length': String(statSync(file).size) },
        lookup: toLoopback,
        ca: request.ca,
        timeout: 30 * 60_000,
        agent: false,
      },
      (res) => {
        const lines: UploadReply['lines'] = [];
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8');
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const text = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (!text) continue;
            const value = JSON.parse(text);
            lines.push({ at: Date.now(), value });
            onLine(value);
          }
        });
        const finish = () => {
          const status = res.statusCode ?? 0;
          if (status >= 400) {
            const error = (() => {
              try {
                return JSON.parse(buffer).error;
              } catch {
                return { code: 'unparsed', message: buffer.slice(0, 300) };
              }
            })();
            resolve({ status, error, lines });
          } else resolve({ status, lines });
        };
        res.on('end', finish);
        // The guest may go down mid-answer (a reboot, a power cut): what arrived is the answer.
        res.on('error', finish);
        res.on('aborted', finish);
        // A connection cut without either (QEMU killed by the power-cut step) still closes the answer:
        // without this the promise stayed pending with nothing left to wake the test, which exited early.
        res.on('close', finish);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in time`)));
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

/** The session cookie a reply sets, as a Cookie header value. */
export function sessionCookie(reply: Reply): string | undefined {
  return reply.headers['set-cookie']?.[0]?.split(';')[0];
}

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a shell command on the guest as root, over SSH with the test's key. */
export function onGuest(command: string, timeoutMs = 60_000): CommandResult {
  const run = spawnSync(
    'ssh',
    [
      '-i', guest.sshKey,
      '-p', String(guest.sshPort),
      '-o', 'BatchMode=yes',
      '-o', 'StrictHostKeyChecking=no',
      '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'LogLevel=ERROR',
      '-o', 'ConnectTimeout=15',
      'root@127.0.0.1',
      command,
    ],
    { encoding: 'utf8', timeout: timeoutMs },
  );
  return { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

/** Like onGuest, but the command must succeed; returns its output. */
export function guestOutput(command: string, timeoutMs?: number): string {
  const result = onGuest(command, timeoutMs);
  if (result.status !== 0) {
    throw new Error(`on the guest, \`${command}\` exited ${result.status}: ${result.stderr.trim() || result.stdout.trim()}`);
  }
  return result.stdout;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until check() returns a value (not undefined) or the time is up. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await sleep(1000);
  }
}

/** Keeps a text from the guest beside the figures (out/image-test/NAME), for whoever reads a slow or failed run. */
export function saveFromGuest(name: string, command: string): void {
  const result = onGuest(command, 60_000);
  writeFileSync(path.join(path.dirname(guest.figuresFile), name), `$ ${command}\n${result.stdout}${result.stderr}`);
}

/** A measured figure for ci/image-test.sh's summary (name=value lines). */
export function recordFigure(name: string, value: number | string): void {
  appendFileSync(guest.figuresFile, `${name}=${value}\n`);
}
