/**
 * Node-RED's core nodes that run commands or read and write files: `exec` (90-exec.js), `file` and
 * `file in` (10-file.js), `watch` (23-watch.js). Node-RED runs inside hearthd, as its user, so
 * such a node reaches all that hearthd holds: the CA key, secret.key, the database. An imported
 * flow or a slip in the editor should not; they are not loaded unless the owner turns them on
 * (preferences.ts `systemNodes`). Node-RED excludes by file name (its nodesExcludes setting).
 */
export const SYSTEM_NODE_FILES = ['90-exec.js', '10-file.js', '23-watch.js'] as const;
export const SYSTEM_NODE_TYPES = ['exec', 'file', 'file in', 'watch'] as const;

/**
 * The same reach through a Function node's modules (its Setup tab, when installs are on): Node's
 * built-in modules that spawn processes, touch files or load code. Not a sandbox (a Function node
 * runs in hearthd's process), but no flow gets these by naming them.
 */
const SYSTEM_BUILTINS = ['child_process', 'fs', 'fs/*', 'worker_threads', 'cluster', 'module', 'vm', 'process', 'inspector', 'wasi'];
export const SYSTEM_MODULE_DENY_LIST = [...SYSTEM_BUILTINS, ...SYSTEM_BUILTINS.map((name) => `node:${name}`)];
