export { createImporter, IMPORT_THREAD_LIMITS, type Importer, type ImportJob, type ImportReport, type ImportProgress, type Rejection } from './importer.ts';
export { fileConnectors } from './registry.ts';
export { importRoutes, type AccountConnector } from './routes.ts';
export { importOptions, importOptionsText } from './options.ts';
export { prepareRecord } from './prepareRecord.ts';
