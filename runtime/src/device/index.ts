export { createDeviceSettings, type DeviceSettings } from './settings.ts';
export { deviceRoutes } from './routes.ts';
export { checkSetupCode, checkSetupPending, completeSetup } from './setup.ts';
export { setupBody, deviceName, DEFAULT_DEVICE_NAME, LANGUAGES, type SetupInput } from './schema.ts';
export { deviceLocale, regionFor } from './region.ts';
export { publishHostname, HOSTNAME_FILE } from './hostname.ts';
export { createServiceManager, type ServiceManager } from './serviceManager.ts';
