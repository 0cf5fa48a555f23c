import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';

/**
 * The flows folder and what is made in it are the group's, nobody else's: on the device the
 * flows' user makes them and hearthd's user, in its group, backs them up. Not setgid: hearthd's
 * unit may not set that bit (RestrictSUIDSGID=), and needs not: the flows process makes its files
 * with its own group, and what hearthd makes is given to the group here.
 */
export const FLOWS_FOLDER_MODE = 0o770;
export const FLOWS_FILE_MODE = 0o660;

/** What the owner may do with a file, given to the group too; nothing to others. */
const sharedFileMode = (stats: Stats) => (stats.mode & 0o700) | ((stats.mode & 0o700) >> 3);

/**
 * Before each start of the flows process on the device: what hearthd put in the flows folder, a
 * restored backup's flows, is made the group's (`gid`, the flows' group). Only hearthd's own
 * entries are changed, and only its own folders are entered: what the flows process made is its
 * own already, and may be large (installed nodes) or closed to hearthd. An entry that cannot be
 * changed is left as it is; the flows process says so if it needed it.
 */
export function shareFlowsFolder(folder: string, gid: number): void {
  const uid = process.getuid!();
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const share = (entry: string): void => {
    let stats: Stats;
    try {
      stats = lstatSync(entry);
      if (stats.uid !== uid || stats.isSymbolicLink()) return;
      if (stats.gid !== gid) chownSync(entry, uid, gid);
      if (stats.isFile()) chmodSync(entry, sharedFileMode(stats));
      if (!stats.isDirectory()) return;
      chmodSync(entry, FLOWS_FOLDER_MODE);
      for (const name of readdirSync(entry)) share(path.join(entry, name));
    } catch {
      // Gone meanwhile, or not hearthd's to change.
    }
  };
  share(folder);
}
