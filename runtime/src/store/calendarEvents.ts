import type { CalendarEvent } from './collections.ts';
import type { Database } from './database.ts';

/**
 * The events that may have an occurrence before `before` (an ISO instant): every recurring one,
 * and the single ones that start earlier. Starts are compared as stored, with their offsets.
 */
export function eventsBefore(db: Database, before: string): Array<{ id: string; event: CalendarEvent }> {
  const rows = db
    .prepare(
      `SELECT id, data FROM documents WHERE collection = 'calendar.events'
         AND (json_extract(data, '$.rrule') IS NOT NULL OR json_extract(data, '$.start') < ?)`,
    )
    .all(before) as Array<{ id: string; data: string }>;
  return rows.map((row) => ({ id: row.id, event: JSON.parse(row.data) as CalendarEvent }));
}
