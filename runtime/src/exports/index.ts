export { exportRoutes } from './routes.ts';
export { exportCollection, formatsFor, type ExportFormat } from './formats.ts';
export { tarEnd, tarEntry } from './tar.ts';
