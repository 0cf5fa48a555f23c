import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from '../../config/index.ts';
import { createServiceManager } from '../../device/serviceManager.ts';
import type { FlowUser } from '../access.ts';
import { FLOWS_PREFIX } from '../gate.ts';
import { registerHearthNode } from '../nodes/index.ts';
import { FLOW_FILE, nodeRedSettings } from '../settings.ts';
import { FLOWS_FOLDER_MODE, shareFlowsFolder } from '../shareFolder.ts';
import { installShippedFlows } from '../shippedFlows.ts';
import { frameChannel, type FrameChannel } from './frames.ts';
import { RUN_FILES, type FlowsStart, type FromFlows, type ToFlows } from './protocol.ts';
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

/** From hearthd, whatever this process's heap holds: hearthd is the trusted end. */
const MAX_FRAME_FROM_HEARTHD = 2 ** 31;
/** How often a flows service that found no hearthd looks again (hearthd starting, or waiting for its owner). */
const RECONNECT_MS = 2_000;

export interface FlowsProcessOptions {
  /** The Hearth node set (nodes/module/), with the shipped flows as its examples. */
  nodesDir: string;
  /** `--run-dir <folder> --user-dir <folder> [--child]`: where hearthd's socket is, where the flows live, and whether hearthd forked this process. */
  argv: string[];
}

function parseArguments(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { 'run-dir': { type: 'string' }, 'user-dir': { type: 'string' }, child: { type: 'boolean', default: false } } });
  if (!values['run-dir'] || !values['user-dir']) throw new Error('usage: flowsProcess --run-dir <folder> --user-dir <folder> [--child]');
  return { runDir: path.resolve(values['run-dir']), userDir: path.resolve(values['user-dir']), child: values.child };
}

/**
 * The flows process: Node-RED, the Hearth nodes and the owner's flows, apart from hearthd, so
 * that a flow that loops, eats memory or crashes takes down only this process, which is started
 * again (by hearthd in development, by systemd on the device). It connects to hearthd's socket
 * with the token hearthd wrote beside it (door.ts) and waits for its start; Node-RED then serves
 * its editor on a Unix socket that hearthd's gate forwards to, and the nodes reach Hearth's data
 * only through calls hearthd answers.
 */
export function runFlowsProcess(options: FlowsProcessOptions): void {
  const { runDir, userDir, child } = parseArguments(options.argv);
  const doorPath = path.join(runDir, RUN_FILES.door);
  const tokenPath = path.join(runDir, RUN_FILES.token);
  const editorPath = path.join(runDir, RUN_FILES.editor);
  let channel: FrameChannel<FromFlows> | undefined;
  let waitingSaid = false;

  const send = (message: FromFlows) => channel?.send(message);
  // Node-RED's log, and this process's, in hearthd's log (the journal keeps one stream); on
  // stderr (the unit's journal) while there is no hearthd to take it.
  const logger: Logger = Object.fromEntries(
    (['debug', 'info', 'warn', 'error'] as const).map((level) => [
      level,
      (message: string, fields?: Record<string, unknown>) => {
        if (channel) send({ type: 'log', level, message, ...(fields ? { fields } : {}) });
        else if (level !== 'debug') console.error(`${level}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
      },
    ]),
  ) as unknown as Logger;
  const serviceManager = createServiceManager({ env: child ? {} : process.env, logger });
  const caller = createCaller(send);
  let remote: ReturnType<typeof createRemoteNodeDependencies> | undefined;
  let red: NodeRedApplication | undefined;
  let server: http.Server | undefined;

  function installOrUpgradeShippedFlows(): void {
    try {
      const shipped = installShippedFlows(userDir, FLOW_FILE, path.join(options.nodesDir, 'examples'));
      if (shipped.installed.length > 0) logger.info('installed the shipped flows', { flows: shipped.installed });
      if (shipped.upgraded.length > 0) logger.info('brought the shipped flows the owner had not changed to this version', { flows: shipped.upgraded });
      if (shipped.kept.length > 0) logger.info('kept the owner’s changes to shipped flows; this version’s are in Import → Examples', { flows: shipped.kept });
    } catch (error) {
      // The owner's flows run without them: a shipped flow that cannot be read is Hearth's bug, not a reason to stop the editor.
      logger.error('the shipped flows could not be installed', { error: (error as Error).stack ?? String(error) });
    }
  }

  async function start(settings: FlowsStart): Promise<void> {
    remote = createRemoteNodeDependencies(caller, settings.connectors);
    const dependencies = remote.dependencies;
    mkdirSync(userDir, { recursive: true, mode: FLOWS_FOLDER_MODE });
    // As a service of its own: what it made with a narrower mode (an installed node's folders)
    // is made its group's again, which hearthd's user is in to back it up and restore over it.
    if (!child) shareFlowsFolder(userDir, process.getgid!());
    if (settings.installShipped) installOrUpgradeShippedFlows();
    // A socket left by a process that was killed would refuse the listen.
    rmSync(editorPath, { force: true });
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
        userDir,
        nodesDir: options.nodesDir,
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
      // The run folder decides who may connect (hearthd, as another user on the device).
      server!.listen({ path: editorPath, readableAll: true, writableAll: true }, resolve);
    });
    await red.start();
    send({ type: 'ready' });
    serviceManager.status('flows running');
  }

  async function stop(): Promise<void> {
    serviceManager.stop();
    try {
      // Stopping runs the nodes' close handlers and writes file context to disk.
      await red?.stop();
    } finally {
      server?.close();
      process.exit(0);
    }
  }

  function heard(message: ToFlows): void {
    switch (message?.type) {
      case 'start':
        start(message.start).catch((error: Error) => {
          send({ type: 'failed', message: error.stack ?? error.message });
          // Once hearthd has the reason: an exit at once could drop the message.
          setTimeout(() => process.exit(1), 500);
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
  }

  /** hearthd not there (yet): a child has no reason to live without it; the service looks again. */
  function notThere(reason: string): void {
    if (child) {
      console.error(`flows process: hearthd's socket cannot be used (${reason})`);
      process.exit(1);
    }
    if (!waitingSaid) logger.info('waiting for hearthd', { reason });
    waitingSaid = true;
    setTimeout(connect, RECONNECT_MS);
  }

  function connect(): void {
    let token: string;
    try {
      token = readFileSync(tokenPath, 'utf8').trim();
    } catch (error) {
      return notThere((error as Error).message);
    }
    const socket = net.connect(doorPath);
    let connected = false;
    const opened = frameChannel<ToFlows, FromFlows>(socket, () => MAX_FRAME_FROM_HEARTHD, {
      message: heard,
      closed(reason) {
        channel = undefined;
        // hearthd gone (stopped, restarting, or it refused this process): nothing may keep
        // running the owner's flows unseen. systemd starts the service again; hearthd its child.
        if (connected) process.exit(0);
        else notThere(reason ?? 'closed');
      },
    });
    socket.once('connect', () => {
      connected = true;
      channel = opened;
      waitingSaid = false;
      opened.send({ type: 'hello', token });
    });
  }

  // A child is stopped by hearthd, which lets Node-RED close its nodes and write their context:
  // the signal a stop of the whole service sends every process of hearthd's unit (or a terminal
  // every process of its group) is left to it. A service of its own stops on the signal.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (child) return;
      send({ type: 'stopping' });
      void stop();
    });
  }
  // The service is up as soon as it runs, waiting for hearthd included (before setup that is
  // days): systemd counts the boot as finished, and the keep-alives start, from this event loop.
  serviceManager.ready('waiting for hearthd');
  connect();
}
