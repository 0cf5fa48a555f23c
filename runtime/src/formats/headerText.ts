// Header cells as people and programs write them; pure, so the web UI reads headers the same way.

/**
 * `durationSeconds` → `duration Seconds`, as Hearth's own CSV exports name their columns; only
 * before a capital and two small letters, so that unit symbols such as kWh stay whole.
 */
export function splitCamelCase(text: string): string {
  return text.replace(/([a-z])(?=[A-Z][a-z]{2})/g, '$1 ');
}
