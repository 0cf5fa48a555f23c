export { createDavAccounts, type DavAccounts, type DavAccountsOptions } from './service.ts';
export { davImportConnectors, davSettingsRoutes } from './routes.ts';
export type { DavReport } from './report.ts';
export { isDavConnectorId, type DavConnectorId } from './kinds.ts';
export { createHttpTransport } from './transport.ts';
export { systemLookup } from './urlPolicy.ts';
