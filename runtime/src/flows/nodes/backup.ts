import { z } from 'zod';
import type { HearthNodeDependencies } from './dependencies.ts';
import type { Node, NodeAPI, NodeDefinition } from './nodeRed.ts';
import { readDefinition } from './shared.ts';

export const BACKUP_EVENTS = ['completed', 'failed', 'checked'] as const;

const backupDefinition = z.object({
  events: z.array(z.enum(BACKUP_EVENTS)).min(1, 'Choose at least one event.').default(['completed', 'failed']),
});

/**
 * `hearth backup`: a message when a backup run or the weekly check ends, as MQTT's
 * `hearth/<device>/backups/<event>` says it: `msg.topic` is the event, `msg.payload` the run (its
 * snapshots and the targets that failed) or the check. A flow may tell the owner elsewhere.
 */
export function startBackupNode(_RED: NodeAPI, node: Node, definition: NodeDefinition, dependencies: HearthNodeDependencies): void {
  const config = readDefinition(node, backupDefinition, definition);
  if (!config) return;
  const stop = dependencies.onBackup((event) => {
    if (!config.events.includes(event.kind)) return;
    const { kind, ...payload } = event;
    node.send({ topic: kind, payload });
    node.status(kind === 'failed' ? { fill: 'red', shape: 'dot', text: 'backup failed' } : { fill: 'green', shape: 'dot', text: kind === 'checked' ? 'checked' : 'backed up' });
  });
  node.on('close', (_removed, done) => {
    stop();
    done();
  });
}
