import os from 'node:os';
import { json, noContent, route, sessionCookie, type Route } from '../http/index.ts';
import type { Sessions } from '../auth/index.ts';
import type { DeviceRecord } from '../store/index.ts';
import { DEFAULT_DEVICE_NAME, deviceChangeBody, setupBody, setupCodeBody } from './schema.ts';
import { regionFor } from './region.ts';
import { checkSetupCode, completeSetup, type SetupDependencies } from './setup.ts';

interface DeviceRouteDependencies extends SetupDependencies {
  sessions: Sessions;
  version: string;
  /** Called once the device has its name, so the certificate can carry it. */
  onNamed: (name: string) => void;
  /** Called when the owner renames the device later: a new address, a new certificate. */
  onRenamed: (name: string) => void;
  /** Said before sign-in too: signing in needs room to write the session. */
  diskFull: () => boolean;
}

/** GET /api/v1/status: what anyone may know, before setup and sign-in too. */
export interface StatusView {
  setup: 'pending' | 'done';
  name: string;
  version: string;
  /** Only while setup is pending: whether setup needs the device's setup code. */
  setupCodeRequired?: boolean;
  /** Under 16 MiB left where the data lives: writes may fail (507 disk_full). */
  diskFull: boolean;
}

/** GET and PUT /api/v1/device. */
export interface DeviceView {
  name: string;
  hostname: string;
  timezone: string;
  language: string;
  /** The country the time zone is in (ISO 3166): how the web UI reads numbers and dates the way imports will. */
  region: string;
  version: string;
  /** Seconds since each started. */
  uptime: { device: number; hearthd: number };
  /** When, from where, and whether with the setup code the owner set the device up. */
  claim: { at: string; from: string; withCode: boolean };
}

function deviceView(current: DeviceRecord, version: string): DeviceView {
  return {
    name: current.name,
    hostname: `${current.name}.local`,
    timezone: current.timezone,
    language: current.language,
    region: regionFor(current.timezone, current.language),
    version,
    uptime: { device: Math.round(os.uptime()), hearthd: Math.round(process.uptime()) },
    claim: { at: current.claimedAt, from: current.claimedFrom, withCode: current.claimedWithCode },
  };
}

export function deviceRoutes(dependencies: DeviceRouteDependencies): Route[] {
  const { device, sessions, version, setupCode, onNamed, onRenamed, diskFull } = dependencies;
  return [
    route({
      method: 'GET',
      path: '/api/v1/status',
      access: 'public',
      handle() {
        const current = device.current();
        if (current) return json(200, { setup: 'done', name: current.name, version, diskFull: diskFull() } satisfies StatusView);
        return json(200, { setup: 'pending', name: DEFAULT_DEVICE_NAME, version, setupCodeRequired: setupCode !== undefined, diskFull: diskFull() } satisfies StatusView);
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/setup',
      access: 'public',
      body: setupBody,
      async handle({ req, body, client }) {
        const record = await completeSetup(body, client, dependencies);
        onNamed(record.name);
        const session = sessions.create(client, { userAgent: req.headers['user-agent'] ?? '' });
        return json(
          201,
          { owner: { name: body.owner.name }, device: { name: record.name, hostname: `${record.name}.local`, timezone: record.timezone, language: record.language } },
          { 'Set-Cookie': sessionCookie(session.id, session.expiresAt) },
        );
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/setup/code',
      access: 'public',
      body: setupCodeBody,
      handle({ body, client }) {
        checkSetupCode(body.setupCode, client, dependencies);
        return noContent();
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/device',
      access: { scope: 'device:read' },
      handle() {
        return json(200, deviceView(device.current()!, version));
      },
    }),
    route({
      method: 'PUT',
      path: '/api/v1/device',
      access: { scope: 'device:write' },
      body: deviceChangeBody,
      handle({ body }) {
        const before = device.current()!.name;
        device.update(body);
        const current = device.current()!;
        if (current.name !== before) onRenamed(current.name);
        return json(200, deviceView(current, version));
      },
    }),
  ];
}
