import { COLLECTION_NAMES } from '../store/index.ts';

/** A token is granted read or write per collection of the owner's data. */
export const COLLECTIONS = COLLECTION_NAMES;

export interface ScopeDescription {
  id: string;
  description: string;
}

export const SCOPES: ScopeDescription[] = [
  { id: 'health:read', description: 'Read the device health (temperature, load, memory, disk).' },
  { id: 'device:read', description: 'Read the device name, version and uptime.' },
  { id: 'device:write', description: 'Rename the device, change its time zone and language.' },
  { id: 'system:read', description: 'Read the system’s version, slots and the state of updates.' },
  { id: 'system:write', description: 'Install updates (which restart the device), retry or dismiss one, check the update feed.' },
  ...COLLECTIONS.flatMap((collection) => [
    { id: `${collection}:read`, description: `Read ${collection}.` },
    { id: `${collection}:write`, description: `Create, change and delete ${collection}.` },
  ]),
  { id: 'flows:read', description: 'Read the flows of the flow editor through its admin API (/flows/).' },
  { id: 'flows:write', description: 'Change and deploy flows through the flow editor’s admin API. Flows run code on the device with all its data: grant with care.' },
  { id: 'backups:read', description: 'Read the backup settings (without secrets), the snapshots and the last backup.' },
  { id: 'backups:write', description: 'Change the backup targets and schedule, and run a backup or a check now.' },
];

export const SCOPE_IDS = new Set(SCOPES.map((scope) => scope.id));
