import type { Logger } from '../config/index.ts';
import type { Change, DocumentStore } from '../store/index.ts';
import { collectionTopic } from './topics.ts';

export interface Publish {
  (topic: string, payload: string): void;
}

const POLL_MS = 500;
const CHANGES_PER_PAGE = 5000;
const IDS_PER_MESSAGE = 1000;

/**
 * Publishes every change of the store's feed, grouped per collection. It reads the feed rather
 * than listening in-process, so changes written by `hearth import` in another process are
 * published too, and none is skipped if a publish falls behind. One page at a time, the event
 * loop answering requests between pages: a million-record import lands at once, and reading its
 * changes in one go held hearthd's requests up to 8 s.
 */
export function startFeedPublisher(options: { store: DocumentStore; publish: Publish; deviceName: () => string; logger: Logger }): { stop(): void } {
  let since = options.store.lastSeq();
  let nextPage: NodeJS.Immediate | undefined;
  const publishPage = () => {
    nextPage = undefined;
    try {
      const { changes, last } = options.store.changesSince(since, CHANGES_PER_PAGE);
      if (changes.length === 0) return;
      since = last;
      const byCollection = new Map<string, Change[]>();
      for (const change of changes) {
        const list = byCollection.get(change.collection);
        if (list) list.push(change);
        else byCollection.set(change.collection, [change]);
      }
      for (const [collection, list] of byCollection) {
        for (let index = 0; index < list.length; index += IDS_PER_MESSAGE) {
          const slice = list.slice(index, index + IDS_PER_MESSAGE);
          options.publish(
            collectionTopic(options.deviceName(), collection),
            JSON.stringify({ collection, changes: slice.map(({ id, kind, seq }) => ({ id, kind, seq })) }),
          );
        }
      }
      if (changes.length === CHANGES_PER_PAGE) nextPage = setImmediate(publishPage);
    } catch (error) {
      options.logger.warn('publishing the change feed failed', { error: (error as Error).message });
    }
  };
  const timer = setInterval(() => {
    if (!nextPage) publishPage();
  }, POLL_MS).unref();
  return {
    stop: () => {
      clearInterval(timer);
      if (nextPage) clearImmediate(nextPage);
    },
  };
}
