// Another address of this device (its .local name after the wizard, a new name after a rename)
// is another origin, with no cookie of its own: the owner would have to sign in again there. A
// link made here asks hearthd for a single-use code and carries it in the fragment, which no
// server sees; the page at the other address redeems it for a session of its own.
import { api, ApiError } from './api.ts';
import type { HandoffAnswer } from './types.ts';

const FRAGMENT = /^#handoff=([A-Za-z0-9_-]{1,100})$/;

async function openSignedIn(url: string): Promise<void> {
  try {
    const { code } = await api<HandoffAnswer>('/api/v1/session/handoff', { method: 'POST', body: {}, allow401: true });
    location.assign(`${url}#handoff=${code}`);
  } catch {
    // Signed out, or hearthd out of reach: the address still opens, at its sign-in page.
    location.assign(url);
  }
}

/** Makes a link to another address of this device keep the owner signed in when followed. */
export function signedInLink(link: HTMLAnchorElement): HTMLAnchorElement {
  link.addEventListener('click', (event) => {
    // A new tab or window gets the plain link.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void openSignedIn(link.href);
  });
  return link;
}

/**
 * At the page a hand-over opened: the code leaves the address bar and the history at once, then
 * is redeemed. Resolves to whether a code was there and had expired or been used.
 */
export async function redeemHandoff(): Promise<boolean> {
  const code = FRAGMENT.exec(location.hash)?.[1];
  if (!code) return false;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  try {
    await api('/api/v1/session/handoff/redeem', { method: 'POST', body: { code }, allow401: true });
    return false;
  } catch (error) {
    return error instanceof ApiError && error.status === 401;
  }
}
