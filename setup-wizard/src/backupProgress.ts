// One line of a backup's or a restore's NDJSON progress, in the owner's words.
import { t } from './i18n.ts';
import type { ProgressLine } from './progressLines.ts';

export function backupProgressText(line: ProgressLine): string {
  const progress = line.progress;
  if (!progress) return '';
  if (progress.phase === 'database') return t('backups.progressDatabase', { percent: progress.percent });
  if (progress.phase === 'upload') return t('backups.progressUpload', { target: progress.target, percent: progress.percent });
  if (progress.phase === 'prune') return t('backups.progressPrune', { target: progress.target });
  if (progress.phase === 'restoring') return t('restore.restoring', { percent: progress.percent });
  if (progress.phase === 'checking') return t('restore.checking');
  return '';
}
