import { z } from 'zod';

const flag = z.enum(['1', '0', 'true', 'false'], { error: 'Use 1 or 0.' }).transform((value) => value === '1' || value === 'true');

/** `POST /api/v1/system/update?allowDowngrade=1`: the bundle is the body; this is its query. */
export const installQuery = z.strictObject({ allowDowngrade: flag.default(false) });

/** The owner's choices for the update feed. */
export const feedSettingsBody = z
  .strictObject({
    enabled: z.boolean({ error: 'enabled is true or false.' }).optional(),
    autoInstall: z.boolean({ error: 'autoInstall is true or false.' }).optional(),
  })
  .refine((change) => Object.keys(change).length > 0, { error: 'Send enabled or autoInstall.' });

/** `POST /api/v1/system/update/install`: a version the feed offers. */
export const feedInstallBody = z.strictObject({ version: z.string({ error: 'Name the version to install.' }).min(1).max(64) });

export type FeedSettingsChange = z.infer<typeof feedSettingsBody>;
