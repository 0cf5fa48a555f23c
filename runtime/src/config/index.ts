export { loadConfig, ConfigError, type Config, type FlowsService } from './config.ts';
export { VERSION } from './version.ts';
export { createLogger, type Logger, type LogLevel } from './logger.ts';
