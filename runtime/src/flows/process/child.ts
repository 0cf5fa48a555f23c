import { mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from '../../config/index.ts';
import type { FlowUser } from '../access.ts';
import { FLOWS_PREFIX } from '../gate.ts';
import { registerHearthNode } from '../nodes/index.ts';
import { nodeRedSettings } from '../settings.ts';
import type { FlowsStart, FromFlows, ToFlows } from './protocol.ts';
import { createRemoteNodeDependencies } from './remoteDependencies.ts';
import { createCaller } from './rpc.ts';

/** The part of the `node-red` package the flows process uses (node_modules/node-red/lib/red.js). */
interface NodeRedApplication {
  init(server: http.Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly httpAdmin: ((req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void) => void) & { disable(setting: string): void };
  runtime: { _: { telemetry: { init(runtime: unknown): void; enable(): void; disable(): void } } };
}

/**
 * Telemetry stays off whatever the editor's settings dialog says: Node-RED lets a user opt in
 * there (a runtime setting that overrides `telemetry.enabled`), and Hearth promises no
 * phone-home at all.
 */
function keepTelemetryOff(red: NodeRedApplication): void {
  const telemetry = red.runtime._.telemetry;
  const init = telemetry.init.bind(telemetry);
  telemetry.init = (runtime) => {
    init(runtime);
    telemetry.disable();
  };
  telemetry.enable = () => telemetry.disable();
}

function send(message: FromFlows): void {
  if (process.connected) process.send!(message);
}

/** Node-RED's log, and this process's, in hearthd's log (the journal keeps one stream). */
const logger: Logger = Object.fromEntries(
  (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (message: string, fields?: Record<string, unknown>) => send({ type: 'log', level, message, ...(fields ? { fields } : {}) })]),
) as unknown as Logger;

/**
 * The flows process: Node-RED, the Hearth nodes and the owner's flows, apart from hearthd, so
 * that a flow that loops, eats memory or crashes takes down only this process, which hearthd
 * starts again (flows/editor.ts). Node-RED serves its editor on a Unix socket that hearthd's gate
 * forwards to; the nodes reach Hearth's data only through calls hearthd answers.
 */
export function runFlowsProcess(): void {
  const caller = createCaller(send);
  let remote: ReturnType<typeof createRemoteNodeDependencies> | undefined;
  let red: NodeRedApplication | undefined;
  let server: http.Server | undefined;

  async function start(settings: FlowsStart): Promise<void> {
    remote = createRemoteNodeDependencies(caller, settings.connectors);
    const dependencies = remote.dependencies;
    mkdirSync(settings.userDir, { recursive: true, mode: 0o700 });
    mkdirSync(path.dirname(settings.socketPath), { recursive: true, mode: 0o700 });
    // A socket left by a process that was killed would refuse the listen.
    rmSync(settings.socketPath, { force: true });
    red = createRequire(import.meta.url)('node-red') as NodeRedApplication;
    const app = red;
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://flows.invalid');
      (req as http.IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
      req.url = url.pathname.slice(FLOWS_PREFIX.length) + url.search;
      app.httpAdmin(req, res, () => res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: { code: 'not_found', message: 'The flow editor has nothing here.' } })));
    });
    // hearthd keeps its connections to the editor open between requests: idle ones close after a
    // minute here, and hearthd's agent, told so by the Keep-Alive header, lets them go first.
    server.keepAliveTimeout = 60_000;
    server.headersTimeout = 65_000;
    red.init(server, {
      ...nodeRedSettings({
        userDir: settings.userDir,
        nodesDir: settings.nodesDir,
        credentialSecret: settings.credentialSecret,
        allowInstalls: settings.allowInstalls,
        allowSystemNodes: settings.allowSystemNodes,
        userFor: (ticket) => caller.call<FlowUser | null>('userFor', ticket),
        registerHearthNode: (RED, type) => registerHearthNode(RED, type, dependencies),
        logger,
      }),
      ...(settings.safeMode ? { safeMode: true } : {}),
    });
    red.httpAdmin.disable('x-powered-by');
    keepTelemetryOff(red);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(settings.socketPath, resolve);
    });
    await red.start();
    send({ type: 'ready' });
  }

  async function stop(): Promise<void> {
    try {
      // Stopping runs the nodes' close handlers and writes file context to disk.
      await red?.stop();
    } finally {
      server?.close();
      process.exit(0);
    }
  }

  process.on('message', (message: ToFlows) => {
    switch (message.type) {
      case 'start':
        start(message.start).catch((error: Error) => {
          // Once hearthd has the reason: an exit at once could drop the message.
          if (process.connected) process.send!({ type: 'failed', message: error.stack ?? error.message } satisfies FromFlows, () => process.exit(1));
          else process.exit(1);
        });
        break;
      case 'reply':
        caller.reply(message.id, message.value, message.error);
        break;
      case 'event':
        remote?.deliver(message);
        break;
      case 'ping':
        send({ type: 'pong', id: message.id });
        break;
      case 'stop':
        void stop();
        break;
    }
  });
  // hearthd gone (stopped, or killed): nothing may keep running the owner's flows unseen.
  process.on('disconnect', () => process.exit(0));
  // A stop of the whole service (systemd signals every process of hearthd's unit, a terminal
  // every process of its group) reaches this process too: hearthd stops it in turn, letting
  // Node-RED close its nodes and write their context.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => undefined);
}
