// Shapes of the hearthd HTTP API (v1) that the web UI uses, from the runtime code that answers
// with them: a change there breaks the UI's typecheck. Type-only, so esbuild erases every import.
export type { Language, SetupInput as SetupRequest } from '../../runtime/src/device/schema.ts';
export type { DeviceView as Device, StatusView as Status } from '../../runtime/src/device/routes.ts';
export type { HealthSnapshot as Health } from '../../runtime/src/health/sampler.ts';
export type { ErrorBody } from '../../runtime/src/http/errors.ts';

export type { CreatedTokenView as CreatedToken, CurrentSession, ScopeList, TokenList, TokenView as Token } from '../../runtime/src/auth/routes.ts';
export type { ScopeDescription as Scope } from '../../runtime/src/auth/scopes.ts';
export type { FactorsView as Factors, PasskeyView as Passkey, RecoveryCodes, TotpEnrolment } from '../../runtime/src/auth/factors/routes.ts';
export type { SecurityLogEntry, SecurityLogPage, SessionList, SessionView as SignedInSession, SignInMethod } from '../../runtime/src/auth/securityRoutes.ts';

export type { CollectionList, CollectionSummary, DocumentPage, DocumentView as StoredDocument } from '../../runtime/src/store/routes.ts';
// The collections' documents, typed by the store's own schemas.
export type { BankAccount, BankTransaction, Bill, CalendarEvent, Contact, EnergyReading } from '../../runtime/src/store/collections.ts';

export type { ConnectorList, ConnectorView as Connector } from '../../runtime/src/imports/routes.ts';
export type { ImportProgress, ImportReport } from '../../runtime/src/imports/importer.ts';
export type { CollectionReport as DavCollectionReport, DavReport } from '../../runtime/src/accounts/report.ts';
export type { AccountView as DavAccount } from '../../runtime/src/accounts/service.ts';
export type { DavAccountAnswer } from '../../runtime/src/accounts/routes.ts';

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
