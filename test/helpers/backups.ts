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
