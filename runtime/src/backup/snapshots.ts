/** Every snapshot Hearth makes carries this tag; anything else in a repository is not Hearth's. */
export const HEARTH_TAG = 'hearth';

export interface SnapshotView {
  id: string;
  time: string;
  /** The target it is on (targets.ts targetLabel). */
  target: string;
  /** The device it was made on (restic's host). */
  device: string;
  /** What the snapshot holds, before deduplication and compression. */
  bytes: number;
  /** What it added to the repository; known only to the run that made it. */
  added?: number;
  counts: Record<string, number>;
}

/**
 * restic 0.14 (Debian 12) keeps no size in a snapshot, and a tag cannot be added afterwards
 * without making a new snapshot: the size and the document counts are known before the upload
 * starts (the staging copy), so they go in as tags.
 */
export function snapshotTags(bytes: number, counts: Record<string, number>): string[] {
  return [HEARTH_TAG, `bytes=${bytes}`, ...Object.entries(counts).map(([collection, n]) => `count:${collection}=${n}`)];
}

interface ResticSnapshot {
  id: string;
  time: string;
  hostname: string;
  tags?: string[];
}

/** `restic snapshots --json`, Hearth's snapshots only, newest first. */
export function readSnapshots(json: string, target: string): SnapshotView[] {
  const listed = JSON.parse(json || '[]') as ResticSnapshot[] | null;
  return (listed ?? [])
    .filter((snapshot) => snapshot.tags?.includes(HEARTH_TAG))
    .map((snapshot) => {
      const counts: Record<string, number> = {};
      let bytes = 0;
      for (const tag of snapshot.tags ?? []) {
        const count = /^count:(.+)=(\d+)$/.exec(tag);
        if (count) counts[count[1]!] = Number(count[2]);
        const size = /^bytes=(\d+)$/.exec(tag);
        if (size) bytes = Number(size[1]);
      }
      return { id: snapshot.id, time: new Date(snapshot.time).toISOString(), target, device: snapshot.hostname, bytes, counts };
    })
    .sort((a, b) => b.time.localeCompare(a.time));
}
