import type { z } from 'zod';
import { badRequest } from './errors.ts';

/** A route's query string, checked by its schema like a body: a 400 `invalid_query` names the parameter. */
export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  throw badRequest('invalid_query', field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}
