// The signed-in pages, their addresses, and what each is given when it opens.
import type { Device } from './types.ts';

export type PageId = 'home' | 'data' | 'import' | 'calls' | 'spending' | 'security' | 'settings';

export const PAGE_PATHS: Record<PageId, string> = {
  home: '/',
  data: '/data',
  import: '/import',
  calls: '/calls',
  spending: '/spending',
  // Before Settings: its own address is found before the Settings page's subpaths are.
  security: '/settings/security',
  settings: '/settings',
};

/** Pages with addresses below their own: /data/contacts/<id> is the Data page's. */
const PAGES_WITH_SUBPATHS: ReadonlySet<PageId> = new Set(['data']);

/** Addresses pages had before, which bookmarks and the docs may still name. */
const MOVED: Readonly<Record<string, string>> = { '/security': PAGE_PATHS.security };

const trimmedPath = (pathname: string) => (pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname);

/** Where a page that moved is now; undefined for an address that did not move. */
export function movedTo(pathname: string): string | undefined {
  return MOVED[trimmedPath(pathname)];
}

export function pageAt(pathname: string): PageId | undefined {
  const trimmed = trimmedPath(pathname);
  return (Object.keys(PAGE_PATHS) as PageId[]).find(
    (page) => PAGE_PATHS[page] === trimmed || (PAGES_WITH_SUBPATHS.has(page) && trimmed.startsWith(`${PAGE_PATHS[page]}/`)),
  );
}

export interface PageContext {
  /** Undefined when /api/v1/device failed; `deviceError` then says why. */
  device: Device | undefined;
  deviceError: unknown;
  /** The device's name, for titles. */
  deviceName: string;
  ownerName: string | undefined;
  /** The page's address, e.g. /data/contacts/vcard-1a2b. */
  path: string;
  /** The page address's query, e.g. ?connector=calls-csv on Import. */
  params: URLSearchParams;
  /** Open another signed-in page (a new history entry), e.g. a contact's card after saving it. */
  navigate(path: string): void;
  /** Change the page's own query without a new history entry (period pickers). */
  replaceParams(params: URLSearchParams): void;
  /** Read the device again and redraw, e.g. in the language the owner just chose. */
  reload(): void;
}

/** Draws a page into `root` and returns what to run when the owner leaves it. */
export type Page = (root: HTMLElement, context: PageContext) => () => void;

/** "Import · living-room · Hearth" */
export function pageTitle(context: PageContext, title?: string): string {
  return [title, context.deviceName, 'Hearth'].filter(Boolean).join(' · ');
}
