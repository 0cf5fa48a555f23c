// What surrounds every signed-in page: the device name and log-out button in the top bar, and
// the navigation between Home, Data, Import, Call log, Spending and Settings, and the way to the flow editor.
import { api, ApiError } from './api.ts';
import { confirmDialog } from './dialog.ts';
import { h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { icon, type IconName } from './icons.ts';
import { t, type MessageKey } from './i18n.ts';
import { PAGE_PATHS, type PageId } from './pages.ts';

const NAV: Array<{ page: PageId; label: MessageKey; icon: IconName }> = [
  { page: 'home', label: 'nav.home', icon: 'home' },
  { page: 'data', label: 'nav.data', icon: 'database' },
  { page: 'import', label: 'nav.import', icon: 'import' },
  { page: 'calls', label: 'nav.calls', icon: 'phone' },
  { page: 'spending', label: 'nav.spending', icon: 'chart' },
  { page: 'settings', label: 'nav.settings', icon: 'settings' },
];
/** Pages inside another's section: the menu marks that section. */
const SECTION_OF: Partial<Record<PageId, PageId>> = { security: 'settings' };

export interface Shell {
  /** Mark the page the owner is on (aria-current). */
  setCurrent(page: PageId): void;
  dispose(): void;
}

/** Narrower than this, Node-RED's editor has no room for its palette, canvas and sidebar. */
const SMALL_SCREEN = '(max-width: 48rem)';

/** The way to the flow editor; on a phone it says first that the editor is made for a larger screen. */
function flowsLink(): HTMLAnchorElement {
  const link = h('a', { href: '/flows/', class: 'site-nav-link' }, icon('file'), h('span', null, t('nav.flows')));
  link.addEventListener('click', (event) => {
    if (!matchMedia(SMALL_SCREEN).matches || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    void confirmDialog({ title: t('flows.smallTitle'), body: t('flows.smallBody'), confirm: t('flows.smallOpen') }).then((open) => {
      if (open) location.assign(link.href);
    });
  });
  return link;
}

export function drawShell(
  elements: { header: HTMLElement; nav: HTMLElement; root: HTMLElement },
  options: { deviceName: string; onSignedOut(): void },
): Shell {
  const { header, nav, root } = elements;
  const logout = h('button', { type: 'button', class: 'button secondary small' }, t('home.logout'));
  logout.addEventListener('click', () => {
    void (async () => {
      logout.disabled = true;
      logout.textContent = t('home.loggingOut');
      try {
        await api('/api/v1/session', { method: 'DELETE', allow401: true });
      } catch (error) {
        // A session that is already gone is as good as signed out.
        if (!(error instanceof ApiError && error.status === 401)) {
          logout.disabled = false;
          logout.textContent = t('home.logout');
          root.prepend(h('p', { class: 'form-alert banner', role: 'alert' }, errorMessage(error)));
          return;
        }
      }
      options.onSignedOut();
    })();
  });
  replace(header, h('span', { class: 'device-chip' }, options.deviceName), logout);

  const links = new Map<PageId, HTMLAnchorElement>();
  const list = h(
    'ul',
    { class: 'site-nav-list' },
    [
      ...NAV.map((item) => {
        const link = h('a', { href: PAGE_PATHS[item.page], class: 'site-nav-link' }, icon(item.icon), h('span', null, t(item.label)));
        links.set(item.page, link);
        return h('li', null, link);
      }),
      // Node-RED's editor is a page of its own (a full load), signed in by the same session.
      h('li', null, flowsLink()),
    ],
  );
  nav.setAttribute('aria-label', t('nav.label'));
  replace(nav, h('div', { class: 'site-nav-inner' }, list));
  nav.hidden = false;

  return {
    setCurrent(page) {
      const section = SECTION_OF[page] ?? page;
      for (const [id, link] of links) {
        if (id === section) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
    },
    dispose() {
      replace(header);
      replace(nav);
      nav.hidden = true;
      nav.removeAttribute('aria-label');
    },
  };
}
