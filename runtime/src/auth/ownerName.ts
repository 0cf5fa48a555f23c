/** Owners type their name as they like: "Alice", "alice ", "ALICE" are one person, one key. */
export const nameKey = (name: string) => name.normalize('NFC').trim().toLocaleLowerCase('und');

export function sameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}
