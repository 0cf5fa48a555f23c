import type { z } from 'zod';
import { badRequest } from './errors.ts';

/** A route's query string, checked by its schema like a body: a 400 `invalid_query` names the parameter. */
export function readQuery<S extends z.ZodObject>(url: URL, schema: S): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(schema.shape);
    throw badRequest('invalid_query', `${issue.keys[0]} is not a parameter here; ${known.length > 0 ? `the parameters are ${known.join(', ')}` : 'there are none'}.`, issue.keys[0]);
  }
  const field = issue.path.map(String).join('.');
  throw badRequest('invalid_query', field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}
