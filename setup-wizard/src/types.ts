// Shapes of the hearthd HTTP API (v1) that the web UI uses.
import type { Bill } from '../../runtime/src/store/collections.ts';

export type Language = 'en' | 'fr';

export interface Status {
  setup: 'pending' | 'done';
  name: string;
  version: string;
  setupCodeRequired?: boolean;
  /** Under 16 MiB left where the data lives: writes may fail (507 disk_full). */
  diskFull: boolean;
}

export interface SetupRequest {
  owner: { name: string; passphrase: string };
  device: { name: string; timezone: string; language: Language };
  setupCode?: string;
}

export interface Device {
  name: string;
  hostname: string;
  timezone: string;
  language: string;
  region: string;
  version: string;
  uptime: { device: number; hearthd: number };
  claim: { at: string; from: string; withCode: boolean } | null;
}

export interface Health {
  sampledAt: string;
  cpu: {
    temperatureC: number | null;
    load1: number;
    load5: number;
    load15: number;
    usagePercent: number;
  };
  memory: { totalBytes: number; usedBytes: number; availableBytes: number };
  disk: { path: string; totalBytes: number; usedBytes: number; availableBytes: number };
}

export interface Token {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
}

export interface CreatedToken extends Omit<Token, 'lastUsedAt'> {
  token: string;
}

export interface Scope {
  id: string;
  description: string;
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string; retryAfter?: number; certificateFingerprint?: string; [more: string]: unknown };
}

/** A collection of the owner's data, with how many documents it holds. */
export interface CollectionSummary {
  name: string;
  title: string;
  count: number;
  /** What GET /api/v1/export/:name gives it as (vcf, ics, csv, json), the standard format first. */
  exportFormats: string[];
}

// The collections' documents, typed by the store's own schemas (erased from the bundle).
export type { BankAccount, BankTransaction, Bill, CalendarEvent, Contact, EnergyReading } from '../../runtime/src/store/collections.ts';
export type { Occurrence } from '../../runtime/src/mashups/calendar.ts';
export type { EnergyTotal } from '../../runtime/src/mashups/energy.ts';

export interface Connector {
  id: string;
  /** `file`: reads an uploaded file; `account`: pulls from a server the owner configured (CardDAV, CalDAV). */
  kind: 'file' | 'account';
  name: string;
  description: string;
  formats: { extensions: string[]; mediaTypes: string[] };
  collections: string[];
  /** The last options that imported something with this connector (e.g. a column mapping). */
  rememberedOptions: Record<string, unknown> | null;
}

export interface ImportReport {
  connector: string;
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejections: Array<{ location: string; reason: string; code?: string; params?: Record<string, string | number> }>;
  notes: Array<{ message: string; code?: string; params?: Record<string, string | number> }>;
  complete: boolean;
  durationMs: number;
}

/** What a CardDAV/CalDAV sync did, in each address book or calendar. */
export interface DavCollectionReport {
  name: string;
  url: string;
  mode: 'initial' | 'sync-token' | 'resync' | 'etag';
  fetched: number;
  deleted: number;
  error?: string;
}

export interface DavReport extends ImportReport {
  deleted: number;
  collections: DavCollectionReport[];
}

/** A saved CardDAV/CalDAV account, as `GET /api/v1/settings/carddav|caldav` shows it: never the password. */
export interface DavAccount {
  url: string;
  username: string;
  /** The server certificate the owner trusted, SHA-256; null when the usual authorities decide. */
  certificateFingerprint: string | null;
  savedAt: string;
  lastSync: {
    at: string;
    ok: boolean;
    error?: { code: string; message: string };
    summary?: Pick<DavReport, 'created' | 'updated' | 'unchanged' | 'deleted' | 'rejected' | 'complete'>;
  } | null;
}

export interface ImportProgress {
  records: number;
  rejected: number;
}


// The call log mash-up's answer, typed by the server's own shapes.
export type { CallLog, NamedCall } from '../../runtime/src/mashups/callLog.ts';

export interface MonthlySpending {
  month: string;
  currency: string;
  spent: number;
  received: number;
}

export interface BillPayment {
  billId: string;
  bill: Bill;
  transaction: { id: string; date: string; amount: number; description: string; counterparty: string | null } | null;
  confidence: number;
}

/** One document as the collections API lists it. */
export interface StoredDocument<T> {
  id: string;
  collection: string;
  source: string;
  created: string;
  updated: string;
  data: T;
}

/** GET /api/v1/auth/factors */
export interface Factors {
  totp: { on: boolean; since: string | null; recoveryCodesLeft: number };
  passkeys: Passkey[];
  /** The host name passkeys are made for here; null when Hearth was opened by its address. */
  passkeyHost: string | null;
}

export interface Passkey {
  id: string;
  name: string;
  host: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export type SignInMethod = 'passphrase' | 'totp' | 'recovery_code' | 'passkey';

/** GET /api/v1/auth/sessions */
export interface SignedInSession {
  id: string;
  current: boolean;
  client: string;
  browser: string | null;
  system: string | null;
  signedInWith: SignInMethod;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
}

/** GET /api/v1/auth/log */
export interface SecurityLogEntry {
  seq: number;
  at: string;
  kind: string;
  client: string | null;
  detail: Record<string, unknown>;
}
