// A real SFTP server for the backup tests: Debian's sshd on a loopback port with its own host key
// and configuration, letting in the user running the tests (root in CI) with the keys the test
// authorizes, and nothing else. Faults are injected in the sftp subsystem, by state not by time:
// past a number of bytes it stops passing them on and says so, and the test then kills the server.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const SFTP_SERVER = '/usr/lib/openssh/sftp-server';

export interface SftpServer {
  port: number;
  user: string;
  authorize(publicKey: string): void;
  /** Until the server is started again, an sftp session passes this many bytes of the client's requests (or of its own answers), then stalls. */
  stallAfter(direction: 'requests' | 'answers', bytes: number): void;
  /** Whether a stalled session has reached its limit. */
  stalled(): boolean;
  /** SIGKILL to sshd and every process under it: the connection drops as if the server died. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Every process under `pid`, by their parents in /proc (sshd's sessions leave its process group). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

export async function createSftpServer(folder: string): Promise<SftpServer> {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const hostKey = path.join(folder, 'host_ed25519');
  if (!existsSync(hostKey)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  const authorizedKeys = path.join(folder, 'authorized_keys');
  writeFileSync(authorizedKeys, '', { mode: 0o600 });
  const faultFile = path.join(folder, 'fault');
  const reachedFile = path.join(folder, 'reached');
  const subsystem = path.join(folder, 'sftp-subsystem');
  // Every session passes its first bytes (dd, not head, which keeps what it read in its stdio
  // buffer); one that goes past the limit stalls. The byte after the limit is read to tell a
  // session that ended just short of it from one that went on.
  writeFileSync(
    subsystem,
    `#!/bin/sh
past_limit() { [ -n "$(head -c 1 | od -An -tx1)" ]; }
if [ -f '${faultFile}' ]; then
  read direction bytes < '${faultFile}'
  if [ "$direction" = requests ]; then
    { dd bs=64k count="$bytes" iflag=count_bytes status=none; if past_limit; then touch '${reachedFile}'; exec sleep 3600; fi; } | ${SFTP_SERVER}
  else
    ${SFTP_SERVER} | { dd bs=64k count="$bytes" iflag=count_bytes status=none; if past_limit; then touch '${reachedFile}'; exec sleep 3600; fi; }
  fi
  exit 0
fi
exec ${SFTP_SERVER}
`,
    { mode: 0o755 },
  );
  const port = await freePort();
  const user = os.userInfo().username;
  const config = path.join(folder, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(folder, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      `AllowUsers ${user}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      // The test's temporary folders are not what sshd's ownership checks expect of a home.
      'StrictModes no',
      `Subsystem sftp ${subsystem}`,
      '',
    ].join('\n'),
  );
  // sshd run as root wants its privilege separation directory.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  let child: ChildProcess | undefined;
  let output = '';
  const server: SftpServer = {
    port,
    user,
    authorize(publicKey) {
      appendFileSync(authorizedKeys, `${publicKey.trim()}\n`);
    },
    stallAfter(direction, bytes) {
      rmSync(reachedFile, { force: true });
      writeFileSync(faultFile, `${direction} ${bytes}\n`);
    },
    stalled: () => existsSync(reachedFile),
    async start() {
      output = '';
      rmSync(faultFile, { force: true });
      child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // Listening once a connection is accepted.
      for (let attempt = 0; ; attempt++) {
        const open = await new Promise<boolean>((resolve) => {
          const socket = net.connect(port, '127.0.0.1', () => {
            socket.destroy();
            resolve(true);
          });
          socket.on('error', () => resolve(false));
        });
        if (open) return;
        if (child.exitCode !== null || attempt > 200) throw new Error(`sshd did not start: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async kill() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      for (const pid of [child.pid!, ...descendants(child.pid!)]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await exited;
    },
    stop: () => server.kill(),
  };
  return server;
}
