export { openDatabase, openMigratedDatabase, migrate, schemaVersion, transaction, type Database } from './database.ts';
export { migrations, type Migration } from './migrations.ts';
export { SchemaError } from './schemaError.ts';
export { guardSchema, RESTORE_RECORD, statfsFreeBytes, type RestoreRecord, type SnapshotRecord } from './schemaSnapshot.ts';
export {
  collections,
  COLLECTION_NAMES,
  isCollectionName,
  type CollectionName,
  type CollectionDefinition,
  type DocumentOf,
  type Contact,
  type CalendarEvent,
  type Call,
  type BankAccount,
  type BankTransaction,
  type Bill,
  type EnergyReading,
} from './collections.ts';
export { createDocumentStore, type DocumentStore, type StoredDocument, type Change, type ChangeKind, type WriteOutcome, type DocumentWrite } from './documents.ts';
export { prepareWrite, type PreparedWrite } from './batch.ts';
export { createStagedImport, type StagedImport, type Landed } from './stagedImport.ts';
export { listDocuments, scalarFields, decodeCursor, type ListQuery, type ListPage, type FieldKind } from './query.ts';
export { documentId, CLIENT_ID_PATTERN } from './documentId.ts';
export { createSettingsStore, type SettingsStore } from './settings.ts';
export { collectionRoutes, documentView } from './routes.ts';
export { createSecretBox, type SecretBox } from './secretBox.ts';
export { diskIsFull, isDiskFullError } from './diskFull.ts';
export { isBusyError } from './busy.ts';
export { createOwners, type Owners, type OwnerRecord } from './owner.ts';
export { createSessionTable, type SessionTable, type SessionRow } from './sessions.ts';
export { createApiTokenTable, type ApiTokenTable, type ApiTokenRow } from './apiTokens.ts';
export { createSecurityLogTable, type SecurityLogTable } from './securityLog.ts';
export { createFactorStore, type FactorStore, type PasskeyRecord, type TotpRecord } from './factors.ts';
export { createDeviceTable, type DeviceTable, type DeviceRecord, type DeviceChange } from './device.ts';
export { createMashupQueries, type MashupQueries } from './mashupQueries.ts';
export type { MonthlySpending } from './spending.ts';
export type { DebitCandidate } from './billPayments.ts';
export { copyDatabase, type CopyProgress } from './databaseCopy.ts';
export { openDatabaseFile, passesQuickCheck, hasOwnerAndDevice, documentCounts, leaveWalMode, countDocuments, documentsBySource } from './databaseFile.ts';
export { copyTables } from './copyTables.ts';
