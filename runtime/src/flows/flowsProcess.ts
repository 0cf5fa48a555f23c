// The flows process's entry (process/child.ts): a file of its own beside editor.ts, which forks
// it, and in the bundle (runtime/build.ts) beside hearth.mjs, where the flows' systemd unit runs it.
import { fileURLToPath } from 'node:url';
import { runFlowsProcess } from './process/child.ts';

// The Hearth node set: beside this file in the repository, copied to the same place beside the bundle.
runFlowsProcess({ nodesDir: fileURLToPath(new URL('./nodes/module/', import.meta.url)), argv: process.argv.slice(2) });
