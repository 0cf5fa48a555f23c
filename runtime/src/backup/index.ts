export { createBackups, type Backups, type BackupEvent, type BackupProgress, type RunResult } from './backups.ts';
export { backupRoutes } from './routes.ts';
export { applyReadyRestore, type ReadyRestore } from './swap.ts';
export { stageRestore } from './restore.ts';
export { normaliseRecoveryKey } from './recoveryKey.ts';
export { ResticError } from './restic.ts';
export { RestoreCheckError } from './restoreCheck.ts';
export { backupHttpError } from './errors.ts';
export { targetLabel } from './targets.ts';
