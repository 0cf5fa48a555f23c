import type { IncomingMessage } from 'node:http';
import { preferredLanguage, route, type Route } from '../http/index.ts';
import type { CertificateAuthority } from './authority.ts';
import { caFileName } from './routes.ts';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => escapes[character]!);

export interface TrustPageValues {
  deviceName: string;
  httpsUrl: string;
}

/**
 * Fills the trust page template; every value is escaped, the template is ours. A part between
 * `{{#constrained}}` and `{{/constrained}}` is kept only for a CA with name constraints, one between
 * `{{^constrained}}` and `{{/constrained}}` only for a CA from before them: what the page says the
 * CA can vouch for is true of this one.
 */
export function renderTrustPage(template: string, authority: CertificateAuthority, values: TrustPageValues): string {
  const flags: Record<string, boolean> = { constrained: authority.caConstrained };
  const shown = template.replace(/\{\{([#^])(\w+)\}\}([\s\S]*?)\{\{\/\2\}\}/g, (_section, mode: string, name: string, inner: string) => (flags[name] === (mode === '#') ? inner : ''));
  const fields: Record<string, string> = {
    deviceName: escapeHtml(values.deviceName),
    caFile: escapeHtml(caFileName(values.deviceName)),
    httpsUrl: escapeHtml(values.httpsUrl),
    // A line may break after a colon only, never inside a byte the owner compares (AB:CD, not A|B).
    fingerprint: escapeHtml(authority.caFingerprint).replaceAll(':', ':<wbr>'),
    caValidUntil: authority.caValidUntil.toISOString().slice(0, 10),
  };
  return shown.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => fields[name] ?? placeholder);
}

/**
 * The page in the visitor's language: it is read before setup, when the device has no language
 * of its own yet, so the browser's Accept-Language decides. `templates` maps a language to its
 * page and has English whenever it has any.
 */
export function trustPageRoute(
  path: string,
  templates: ReadonlyMap<string, string>,
  authority: CertificateAuthority,
  values: (req: IncomingMessage) => TrustPageValues,
): Route {
  const languages = [...templates.keys()];
  return route({
    method: 'GET',
    path,
    access: 'public',
    handle: ({ req }) => {
      const language = preferredLanguage(req.headers['accept-language'], languages, 'en');
      const template = templates.get(language);
      const page = template
        ? renderTrustPage(template, authority, values(req))
        : `Hearth CA fingerprint (SHA-256): ${authority.caFingerprint}\nDownload: /ca.crt\n`;
      return {
        status: 200,
        headers: {
          'Content-Type': template ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
          ...(template ? { 'Content-Language': language } : {}),
          Vary: 'Accept-Language',
          'Cache-Control': 'no-cache',
        },
        body: page,
      };
    },
  });
}
