import type { Client, Response } from './client.ts';

/** The NDJSON lines of a long run (a backup, a restore), parsed. */
export function ndjsonLines(response: Response): Array<Record<string, any>> {
  return response.text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, any>);
}

/** Every document of a collection, as the API lists it: id and contents, in id order. */
export async function documentsOf(client: Client, collection: string): Promise<Array<{ id: string; data: unknown }>> {
  const items: Array<{ id: string; data: unknown }> = [];
  let next: string | undefined;
  do {
    const page = await client.get(`/api/v1/collections/${collection}?limit=500${next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
    if (page.status !== 200) throw new Error(`${collection}: ${page.status} ${page.text}`);
    items.push(...(page.body.items as Array<{ id: string; data: unknown }>).map((item) => ({ id: item.id, data: item.data })));
    next = page.body.next ?? undefined;
  } while (next);
  return items.sort((a, b) => a.id.localeCompare(b.id));
}

/** Waits until `read` gives what `done` wants: states, not times (each try is a request). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const began = Date.now();
  for (;;) {
    let value: T | undefined;
    try {
      value = await read();
      if (done(value)) return value;
    } catch {
      // hearthd restarting: not listening for a moment.
    }
    if (Date.now() - began > timeoutMs) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
