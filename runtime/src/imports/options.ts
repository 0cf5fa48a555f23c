import { z } from 'zod';

const EXAMPLE = '{"preset":"fr"}';

/** A connector's options as they travel: a JSON object; the connector checks what is inside. */
export const importOptions = z.record(z.string(), z.unknown(), { error: `Options must be a JSON object, e.g. ${EXAMPLE}.` });

/**
 * The same options written as JSON text, as the import API's `options` parameter or form field,
 * `hearth import`'s third argument and the flow node's field give them. Empty means none.
 */
export const importOptionsText = z
  .string()
  .max(64 * 1024, { error: 'Options must be at most 64 KiB of JSON.' })
  .transform((text, context): Record<string, unknown> | undefined => {
    if (text.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      context.addIssue({ code: 'custom', message: `Options must be a JSON object, e.g. ${EXAMPLE}.` });
      return z.NEVER;
    }
    const parsed = importOptions.safeParse(value);
    if (parsed.success) return parsed.data;
    context.addIssue({ code: 'custom', message: parsed.error.issues[0]!.message });
    return z.NEVER;
  });
