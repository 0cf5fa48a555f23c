export { resetOwner } from './resetOwner.ts';
export { importFile } from './importFile.ts';
export { CliError } from './errors.ts';
export { backupCommand } from './backup.ts';
