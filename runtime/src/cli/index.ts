export { resetOwner } from './resetOwner.ts';
export { importFile } from './importFile.ts';
export { CliError } from './errors.ts';
export { updateCommand } from './update.ts';
export { backupCommand } from './backup.ts';
