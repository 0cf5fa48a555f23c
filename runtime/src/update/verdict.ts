import type { SettingsStore } from '../store/index.ts';
import type { LastUpdate, UpdateFiles } from './files.ts';

/** The time of the last verdict already reported, so that each is reported once across restarts. */
const REPORTED_KEY = 'update.verdictReported';

/**
 * The root health gate writes its verdict on an update (kept, or rolled back and why) while
 * hearthd is down, between two boots: hearthd hands it on once, at the start that follows.
 */
export function reportGateVerdict(files: Pick<UpdateFiles, 'readLast'>, settings: SettingsStore, report: (last: LastUpdate) => void): void {
  const last = files.readLast();
  if (!last || settings.get<string>(REPORTED_KEY) === last.at) return;
  report(last);
  settings.set(REPORTED_KEY, last.at);
}
