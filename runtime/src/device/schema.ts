import { z } from 'zod';
import { displayName, passphrase } from '../auth/index.ts';

export const LANGUAGES = ['en', 'fr'] as const;
/** The languages the device is set up in, which are the web UI's too. */
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_DEVICE_NAME = 'hearth';

const timeZones = new Set(Intl.supportedValuesOf('timeZone'));

/** An RFC 1123 host label: it becomes `<name>.local` on the network. */
export const deviceName = z
  .string({ error: 'Enter a device name.' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter a device name.')
  .max(63, 'Use at most 63 characters for the device name.')
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'Use only letters, digits and hyphens, starting and ending with a letter or digit.')
  .refine((name) => name !== 'localhost', { error: '“localhost” is reserved; choose another name.' });

const timezone = z
  .string({ error: 'Choose a time zone.' })
  .refine((zone) => zone === 'UTC' || timeZones.has(zone), { error: 'Choose a time zone from the list, such as Europe/Paris.' });
const language = z.enum(LANGUAGES, { error: `Choose a language: ${LANGUAGES.join(', ')}.` });
const setupCode = z.string({ error: 'The setup code is text.' }).max(64, 'That is not a setup code.');

export const setupBody = z.strictObject({
  owner: z.strictObject({
    name: displayName('your name', 64),
    passphrase,
  }),
  device: z.strictObject({
    name: deviceName,
    timezone,
    language,
  }),
  setupCode: setupCode.optional(),
});

/** The wizard's code step asks whether the code is right before the owner goes on. */
export const setupCodeBody = z.strictObject({ setupCode });

export type SetupInput = z.infer<typeof setupBody>;

/** What the owner may change after setup; what is left out stays as it is. */
export const deviceChangeBody = z
  .strictObject({ name: deviceName.optional(), timezone: timezone.optional(), language: language.optional() })
  .refine((change) => Object.keys(change).length > 0, { error: 'Send the name, timezone or language to change.' });

export type DeviceChange = z.infer<typeof deviceChangeBody>;
