// Shapes of the hearthd HTTP API (v1) that the web UI uses, from the runtime code that answers
// with them (or the schema that reads them): a change there breaks the UI's typecheck.
// Type-only, so esbuild erases every import.
export type { Language, SetupInput as SetupRequest } from '../../runtime/src/device/schema.ts';
export type { DeviceView as Device, StatusView as Status } from '../../runtime/src/device/routes.ts';
export type { HealthSnapshot as Health } from '../../runtime/src/health/sampler.ts';
export type { ErrorBody } from '../../runtime/src/http/errors.ts';

export type { CreatedTokenView as CreatedToken, CurrentSession, ScopeList, TokenList, TokenView as Token } from '../../runtime/src/auth/routes.ts';
export type { LoginRequest, PassphraseChangeRequest, TokenRequest } from '../../runtime/src/auth/schema.ts';
export type { ScopeDescription as Scope } from '../../runtime/src/auth/scopes.ts';
export type { FactorsView as Factors, PasskeyView as Passkey, RecoveryCodes, TotpEnrolment } from '../../runtime/src/auth/factors/routes.ts';
export type { HandoffAnswer } from '../../runtime/src/auth/handoffRoutes.ts';
export type { SecurityLogEntry, SecurityLogPage, SessionList, SessionView as SignedInSession, SignInMethod } from '../../runtime/src/auth/securityRoutes.ts';

export type { CollectionList, CollectionSummary, DocumentPage, DocumentView as StoredDocument } from '../../runtime/src/store/routes.ts';
// The collections' documents, typed by the store's own schemas.
export type { BankAccount, BankTransaction, Bill, CalendarEvent, Contact, EnergyReading } from '../../runtime/src/store/collections.ts';

export type { ConnectorList, ConnectorView as Connector } from '../../runtime/src/imports/routes.ts';
export type { ImportProgress, ImportReport } from '../../runtime/src/imports/importer.ts';
export type { CollectionReport as DavCollectionReport, DavReport } from '../../runtime/src/accounts/report.ts';
export type { AccountView as DavAccount } from '../../runtime/src/accounts/service.ts';
export type { DavAccountAnswer, DavAccountRequest } from '../../runtime/src/accounts/routes.ts';
export type { DavConnectorId } from '../../runtime/src/accounts/kinds.ts';

export type { BackupStatusView as BackupStatus, DriveList, RestorableSnapshots, SavedBackupSettings, SnapshotList, SshPublicKey } from '../../runtime/src/backup/routes.ts';
export type { BackupSettingsView as BackupSettings } from '../../runtime/src/backup/settings.ts';
export type { Drive } from '../../runtime/src/backup/drives.ts';
export type { SnapshotView as Snapshot } from '../../runtime/src/backup/snapshots.ts';
export type { PublicTarget } from '../../runtime/src/backup/targets.ts';
export type { BackupSettingsRequest, SnapshotsQuery, TargetInput } from '../../runtime/src/backup/schema.ts';

export type { InstallLine, UpdateView } from '../../runtime/src/update/routes.ts';
export type { UpdateProgress, UpdateStatusView } from '../../runtime/src/update/service.ts';

export type { ArchiveReady } from '../../runtime/src/exports/routes.ts';
export type { MqttChange, MqttView } from '../../runtime/src/mqtt/routes.ts';
export type { FlowSettingsChange, FlowSettingsView as FlowSettings } from '../../runtime/src/flows/preferences.ts';

export type {
  BillPayment,
  BillPaymentsAnswer,
  CalendarAnswer,
  CallLog,
  EnergyAnswer,
  EnergyTotal,
  LastImportAnswer,
  MonthlySpending,
  NamedCall,
  Occurrence,
  SpendingAnswer,
} from '../../runtime/src/mashups/routes.ts';
