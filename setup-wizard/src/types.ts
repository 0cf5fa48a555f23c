// Shapes of the hearthd HTTP API (v1) that the web UI uses.

export type Language = 'en' | 'fr';

export interface Status {
  setup: 'pending' | 'done';
  name: string;
  version: string;
  setupCodeRequired?: boolean;
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
  error: { code: string; message: string; field?: string; retryAfter?: number };
}
