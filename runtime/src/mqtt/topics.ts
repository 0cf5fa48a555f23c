import { COLLECTION_NAMES } from '../store/index.ts';

export const collectionTopic = (device: string, collection: string) => `hearth/${device}/collections/${collection}/changed`;
export const healthTopic = (device: string) => `hearth/${device}/health`;
/** `completed`, `failed` or `checked`: one message per backup run or weekly check. */
export const backupTopic = (device: string, event: string) => `hearth/${device}/backups/${event}`;

/**
 * The scope a client needs to receive a message on `topic`: Hearth's own topics carry the owner's
 * data and follow the token's scopes; `$SYS/` needs `system:read`; anything else is the clients' own business.
 * `null` means no client may receive it.
 */
export function scopeForTopic(topic: string): string | undefined | null {
  const levels = topic.split('/');
  // The broker's own topics name every client and its subscriptions: the owner's business.
  if (levels[0] === '$SYS') return 'system:read';
  if (levels[0]!.startsWith('$')) return null;
  if (levels[0] !== 'hearth') return undefined;
  if (levels.length === 3 && levels[2] === 'health') return 'health:read';
  if (levels.length === 4 && levels[2] === 'backups') return 'backups:read';
  if (levels.length === 5 && levels[2] === 'collections' && levels[4] === 'changed') {
    const collection = levels[3]!;
    return (COLLECTION_NAMES as readonly string[]).includes(collection) ? `${collection}:read` : null;
  }
  return null;
}

/** Only hearthd speaks under `hearth/`: a client must not forge a change or a health sample. */
export function clientMayPublish(topic: string): boolean {
  return topic.split('/')[0] !== 'hearth' && !topic.startsWith('$');
}
