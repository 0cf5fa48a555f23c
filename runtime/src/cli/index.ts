export { resetOwner, CliError } from './resetOwner.ts';
