import path from 'node:path';
import { z } from 'zod';
import { DEVICE_MEDIA_DIR } from '../backup/drives.ts';
import { BUILT_IN_FEED_URL } from '../update/feedUrl.ts';
import { DEVICE_RAUC_KEYRING, DEVICE_RAUC_PATHS } from '../update/devicePaths.ts';

const port = z.coerce.number().int().min(0).max(65535);

const environmentSchema = z.object({
  HEARTH_DATA_DIR: z.string().min(1).default('./var'),
  HEARTH_HOST: z.string().min(1).default('::'),
  HEARTH_HTTPS_PORT: port.default(8443),
  HEARTH_HTTP_PORT: port.default(8080),
  HEARTH_MQTT_PORT: port.default(1883),
  HEARTH_MQTTS_PORT: port.default(8883),
  HEARTH_SETUP_CODE: z.string().trim().min(6, 'HEARTH_SETUP_CODE must be at least 6 characters').max(64).optional(),
  HEARTH_HEALTH_INTERVAL_MS: z.coerce.number().int().min(500).default(5000),
  HEARTH_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // Where the update feed is (empty: none); built in at build time, replaced here in tests.
  HEARTH_UPDATE_FEED: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).optional(),
  // RAUC's files on the device; tests point them at their own.
  HEARTH_RAUC_SYSTEM_CONF: z.string().min(1).default(DEVICE_RAUC_PATHS.systemConf),
  HEARTH_RAUC_KEYRING: z.string().min(1).default(DEVICE_RAUC_KEYRING),
  HEARTH_RAUC_COMMAND: z.string().min(1).default(DEVICE_RAUC_PATHS.command),
  HEARTH_KERNEL_CMDLINE: z.string().min(1).default(DEVICE_RAUC_PATHS.cmdline),
  // Dev mode and tests: a folder whose folders stand for USB drives (the device mounts them under /media/hearth).
  HEARTH_MEDIA_DIR: z.string().min(1).optional(),
  // Who runs the flows process: hearthd, as its child (development, tests), or systemd, as a unit
  // and user of its own (the device); and the folder where the two meet (hearthd's socket, the
  // token to use it, the editor's socket): <data>/run unless set.
  HEARTH_FLOWS_SERVICE: z.enum(['child', 'systemd']).default('child'),
  HEARTH_FLOWS_RUN_DIR: z.string().min(1).optional(),
});

export interface FlowsService {
  kind: 'child' | 'systemd';
  runDir: string;
}

export interface Config {
  dataDir: string;
  host: string;
  httpsPort: number;
  httpPort: number;
  mqttPort: number;
  mqttsPort: number;
  /** When set, the wizard asks for it: whoever reaches the device first cannot claim it. */
  setupCode: string | undefined;
  healthIntervalMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  version: string;
  /** The update feed's URL; empty when there is none. */
  updateFeedUrl: string;
  rauc: { systemConf: string; keyring: string; command: string; cmdline: string };
  /** Where USB drives are; on the device only mount points there count as drives. */
  drives: { mediaDir: string; mountsOnly: boolean };
  flows: FlowsService;
}

export class ConfigError extends Error {}

export function loadConfig(environment: NodeJS.ProcessEnv, version: string): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.HEARTH_DATA_DIR);
  return {
    dataDir,
    host: env.HEARTH_HOST,
    httpsPort: env.HEARTH_HTTPS_PORT,
    httpPort: env.HEARTH_HTTP_PORT,
    mqttPort: env.HEARTH_MQTT_PORT,
    mqttsPort: env.HEARTH_MQTTS_PORT,
    setupCode: env.HEARTH_SETUP_CODE,
    healthIntervalMs: env.HEARTH_HEALTH_INTERVAL_MS,
    logLevel: env.HEARTH_LOG_LEVEL,
    version,
    updateFeedUrl: env.HEARTH_UPDATE_FEED ?? BUILT_IN_FEED_URL,
    rauc: { systemConf: env.HEARTH_RAUC_SYSTEM_CONF, keyring: env.HEARTH_RAUC_KEYRING, command: env.HEARTH_RAUC_COMMAND, cmdline: env.HEARTH_KERNEL_CMDLINE },
    drives: env.HEARTH_MEDIA_DIR ? { mediaDir: path.resolve(env.HEARTH_MEDIA_DIR), mountsOnly: false } : { mediaDir: DEVICE_MEDIA_DIR, mountsOnly: true },
    flows: { kind: env.HEARTH_FLOWS_SERVICE, runDir: env.HEARTH_FLOWS_RUN_DIR ? path.resolve(env.HEARTH_FLOWS_RUN_DIR) : path.join(dataDir, 'run') },
  };
}
