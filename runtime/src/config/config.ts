import path from 'node:path';
import { z } from 'zod';

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
});

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
}

export class ConfigError extends Error {}

export function loadConfig(environment: NodeJS.ProcessEnv, version: string): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  return {
    dataDir: path.resolve(env.HEARTH_DATA_DIR),
    host: env.HEARTH_HOST,
    httpsPort: env.HEARTH_HTTPS_PORT,
    httpPort: env.HEARTH_HTTP_PORT,
    mqttPort: env.HEARTH_MQTT_PORT,
    mqttsPort: env.HEARTH_MQTTS_PORT,
    setupCode: env.HEARTH_SETUP_CODE,
    healthIntervalMs: env.HEARTH_HEALTH_INTERVAL_MS,
    logLevel: env.HEARTH_LOG_LEVEL,
    version,
  };
}
