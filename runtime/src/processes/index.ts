export { isRunning } from './running.ts';
