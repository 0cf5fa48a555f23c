/**
 * A key a bank repeats within one statement (a FITID, a reference, the digest of an entry that
 * has none): the first keeps it, the next are numbered in file order (KEY:2, KEY:3…), so a
 * re-import gives each the same id again. `seen` is the statement's count per key; past `limit`
 * keys it starts afresh, which bounds the parsing thread's memory.
 */
export function numberRepeat(seen: Map<string, number>, key: string, limit: number): string {
  if (seen.size >= limit) seen.clear();
  const count = (seen.get(key) ?? 0) + 1;
  seen.set(key, count);
  return count === 1 ? key : `${key}:${count}`;
}
