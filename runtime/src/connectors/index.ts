export type { FileConnector, ConnectorManifest, ParsedItem, ParseContext } from './types.ts';
export { createImporter, type Importer, type ImportJob, type ImportReport, type ImportProgress, type Rejection } from './importer.ts';
export { fileConnectors } from './registry.ts';
export { importRoutes, type AccountConnector } from './routes.ts';
export {
  createDavAccounts,
  createHttpTransport,
  davImportConnectors,
  davSettingsRoutes,
  isDavConnectorId,
  systemLookup,
  type DavAccounts,
  type DavConnectorId,
  type DavReport,
} from './dav/index.ts';
export { toE164 } from './phone.ts';
export { readLines, type Line } from './text.ts';
