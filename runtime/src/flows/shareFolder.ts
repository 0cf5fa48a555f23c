import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';

/**
 * The group's, nobody else's. Not setgid: hearthd's unit may not set that bit
 * (RestrictSUIDSGID=), and needs not: the flows process makes its files with its own group, and
 * what hearthd makes is given to the group here.
 */
const FOLDER_MODE = 0o770;

/** What the owner may do with a file, given to the group too; nothing to others. */
const sharedFileMode = (stats: Stats) => (stats.mode & 0o700) | ((stats.mode & 0o700) >> 3);

/**
 * On the device the flows run as a user of their own, in the group of the flows folder, and
 * hearthd's user is in that group too (backups read the folder). What the flows process makes
 * there is the group's already (its own group, its unit's umask); what hearthd put there, a restored backup's
 * flows, is made the group's here, before each start of the flows process. Entries of another
 * owner are left as they are: hearthd may not change them, and it does not need to.
 */
export function shareFlowsFolder(folder: string, gid: number): void {
  const uid = process.getuid!();
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const share = (entry: string) => {
    const stats = lstatSync(entry);
    if (stats.uid !== uid || stats.isSymbolicLink()) return;
    if (stats.gid !== gid) chownSync(entry, uid, gid);
    if (stats.isDirectory()) {
      chmodSync(entry, FOLDER_MODE);
    } else if (stats.isFile()) {
      chmodSync(entry, sharedFileMode(stats));
    }
  };
  const walk = (dir: string) => {
    share(dir);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      // A folder the flows process keeps to itself holds nothing of hearthd's.
      if ((error as NodeJS.ErrnoException).code === 'EACCES') return;
      throw error;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else share(full);
    }
  };
  walk(folder);
}
