import { type Property, paramUpper } from '../contentLine/index.ts';
import type { NoteCode, ReportParams } from '../types.ts';

/** Larger photos are dropped: a contact list must stay light on a Raspberry Pi's SD card. */
const MAX_PHOTO_BYTES = 256 * 1024;

/** `dropped` is why, with the code and values the report gives with it. */
export type PhotoReading = { photo: { mediaType: string; data: string } } | { dropped: string; code: NoteCode; params?: ReportParams };

/**
 * PHOTO in its three spellings: 2.1 `ENCODING=BASE64;JPEG`, 3.0 `ENCODING=b;TYPE=JPEG`, 4.0
 * `data:image/jpeg;base64,…`. Links are dropped: Hearth does not fetch from the network on
 * the owner's behalf. `dropped` completes "photo of <name> dropped: …".
 */
export function readPhoto(property: Property, truncated: boolean): PhotoReading {
  if (truncated) return { dropped: 'larger than 256 KiB', code: 'vcard_photo_too_large' };
  const value = property.value.trim();
  const encoding = paramUpper(property, 'ENCODING');
  let mediaType: string;
  let data: string;
  const dataUrl = /^data:([\w.+-]+\/[\w.+-]+)?((?:;[^,;]*)*?);base64,/i.exec(value.slice(0, 300));
  if (dataUrl) {
    mediaType = (dataUrl[1] ?? 'image/jpeg').toLowerCase();
    data = value.slice(dataUrl[0].length);
  } else if (encoding === 'B' || encoding === 'BASE64') {
    mediaType = mediaTypeOf(property.params.get('TYPE') ?? []);
    data = value;
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(value) || paramUpper(property, 'VALUE') === 'URI' || paramUpper(property, 'VALUE') === 'URL') {
    return { dropped: `it is a link (${value.slice(0, 80)}), not an image`, code: 'vcard_photo_link', params: { link: value.slice(0, 80) } };
  } else {
    return { dropped: 'its encoding is not base64', code: 'vcard_photo_not_base64' };
  }
  data = data.replace(/\s+/g, '');
  if (data.length === 0) return { dropped: 'it is empty', code: 'vcard_photo_empty' };
  if (Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0) > MAX_PHOTO_BYTES) return { dropped: 'larger than 256 KiB', code: 'vcard_photo_too_large' };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 === 1) return { dropped: 'its base64 data is damaged', code: 'vcard_photo_damaged' };
  return { photo: { mediaType, data } };
}

/** `JPEG`, `image/png`, `PNG`… to a media type; a photo with no type is most likely a JPEG. */
function mediaTypeOf(types: string[]): string {
  for (const type of types) {
    const lower = type.toLowerCase();
    if (lower.includes('/')) return lower;
    if (['jpeg', 'jpg', 'png', 'gif', 'bmp', 'tiff', 'webp', 'heic'].includes(lower)) return `image/${lower === 'jpg' ? 'jpeg' : lower}`;
  }
  return 'image/jpeg';
}
