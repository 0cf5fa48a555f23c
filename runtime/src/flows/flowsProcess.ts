// The flows process's entry (process/child.ts): a file of its own beside editor.ts, which forks
// it, and in the bundle (runtime/build.ts) beside hearth.mjs.
import { runFlowsProcess } from './process/child.ts';

runFlowsProcess();
