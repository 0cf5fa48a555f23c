import { HttpError } from '../http/index.ts';
import type { Backups } from './backups.ts';
import type { SnapshotView } from './snapshots.ts';

/** A snapshot on the device's targets by its id or a prefix of it, for the whole and the one-collection restore alike. */
export async function findSnapshot(backups: Backups, id: string): Promise<SnapshotView> {
  const listed = await backups.list();
  const snapshot = listed.snapshots.find((candidate) => candidate.id.startsWith(id));
  if (snapshot) return snapshot;
  const silent = listed.failures.length > 0 ? ` (${listed.failures.map((failure) => failure.target).join(', ')} did not answer)` : '';
  throw new HttpError(404, 'snapshot_not_found', `There is no snapshot ${id} on the targets${silent}; GET /api/v1/backups lists them.`);
}
