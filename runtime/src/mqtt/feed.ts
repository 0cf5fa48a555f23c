import type { Logger } from '../config/index.ts';
import type { Change, DocumentStore } from '../store/index.ts';
import { collectionTopic } from './topics.ts';

export interface Publish {
  (topic: string, payload: string): void;
}

const POLL_MS = 500;
const IDS_PER_MESSAGE = 1000;

/**
 * Publishes every change of the store's feed, grouped per collection. It reads the feed rather
 * than listening in-process, so changes written by `hearth import` in another process are
 * published too, and none is skipped if a publish falls behind.
 */
export function startFeedPublisher(options: { store: DocumentStore; publish: Publish; deviceName: () => string; logger: Logger }): { stop(): void } {
  let since = options.store.lastSeq();
  const drain = () => {
    try {
      for (;;) {
        const { changes, last } = options.store.changesSince(since, 5000);
        if (changes.length === 0) return;
        since = last;
        const byCollection = new Map<string, Change[]>();
        for (const change of changes) byCollection.set(change.collection, [...(byCollection.get(change.collection) ?? []), change]);
        for (const [collection, list] of byCollection) {
          for (let index = 0; index < list.length; index += IDS_PER_MESSAGE) {
            const slice = list.slice(index, index + IDS_PER_MESSAGE);
            options.publish(
              collectionTopic(options.deviceName(), collection),
              JSON.stringify({ collection, changes: slice.map(({ id, kind, seq }) => ({ id, kind, seq })) }),
            );
          }
        }
      }
    } catch (error) {
      options.logger.warn('publishing the change feed failed', { error: (error as Error).message });
    }
  };
  const timer = setInterval(drain, POLL_MS).unref();
  return { stop: () => clearInterval(timer) };
}
