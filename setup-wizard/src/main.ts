// Entry point: ask the device where it stands, then show the wizard, sign-in, or the signed-in
// pages (Home, Data, Import, Call log, Spending, Settings), which move between each other without reloading.
import { api, ApiError, onUnauthorized } from './api.ts';
import { showCallLog } from './callLogPage.ts';
import { showData } from './dataPages.ts';
import { focusHeading, h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { redeemHandoff } from './handoff.ts';
import { showHome } from './home.ts';
import { detectLanguage, getLanguage, isLanguage, onLanguageChange, setLanguage, t } from './i18n.ts';
import { showImport } from './importPage.ts';
import { showLogin } from './login.ts';
import { movedTo, pageAt, PAGE_PATHS, type Page, type PageContext, type PageId } from './pages.ts';
import { drawShell, type Shell } from './shell.ts';
import { createSecurityPage } from './securityPage.ts';
import { showSettings } from './settingsPage.ts';
import { showSpending } from './spendingPage.ts';
import type { CurrentSession, Device, Status } from './types.ts';
import { startWizard } from './wizard.ts';

const LANGUAGE_KEY = 'hearth.language';

const PAGES: Record<PageId, Page> = {
  home: showHome,
  data: showData,
  import: showImport,
  calls: showCallLog,
  spending: showSpending,
  security: createSecurityPage(() => login(t('home.signedOut'))),
  settings: showSettings,
};

const root = document.getElementById('main') as HTMLElement;
const header = document.getElementById('topbar-actions') as HTMLElement;
const nav = document.getElementById('site-nav') as HTMLElement;
const footer = document.getElementById('footer-text');
const skip = document.getElementById('skip-link');

let status: Status | undefined;
/** The address (path and query) of the page on screen. */
let shownAt = '';
let dispose: (() => void) | undefined;
/** Set while the owner is signed in: what every page is given, and the nav around them. */
let signedInAs: { context: Omit<PageContext, 'path' | 'params' | 'replaceParams' | 'navigate'>; shell: Shell } | undefined;

/** Close the current page (and, unless `keepShell`, the signed-in chrome around it). */
function leave(keepShell = false): void {
  dispose?.();
  dispose = undefined;
  document.querySelectorAll('dialog').forEach((dialog) => dialog.remove());
  if (!keepShell) {
    signedInAs?.shell.dispose();
    signedInAs = undefined;
  }
}

function rememberedLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_KEY);
  } catch {
    return null;
  }
}

function remember(lang: string): void {
  try {
    localStorage.setItem(LANGUAGE_KEY, lang);
  } catch {
    // private mode: nothing to do
  }
}

function drawChrome(): void {
  if (skip) skip.textContent = t('app.skip');
  if (footer) footer.textContent = t('app.footer', { version: status?.version ?? '' });
}

function showUnreachable(error: unknown): void {
  leave();
  const heading = h('h1', { tabindex: -1 }, t('app.name'));
  const retry = h('button', { type: 'button', class: 'button primary' }, t('app.retry'));
  retry.addEventListener('click', () => void boot());
  replace(
    root,
    h(
      'section',
      { class: 'card narrow' },
      heading,
      h('p', { class: 'form-alert', role: 'alert' }, t('app.unreachable')),
      h('p', { class: 'hint' }, errorMessage(error)),
      h('div', { class: 'actions' }, retry),
    ),
  );
  focusHeading(heading);
}

function login(notice?: string): void {
  leave();
  dispose = showLogin(root, {
    deviceName: status?.name ?? t('app.name'),
    ...(notice ? { notice } : {}),
    onSignedIn: () => void signedIn(),
  });
}

/** Show the signed-in page that the address names; an unknown address shows Home. */
function showPage(): void {
  if (!signedInAs) return;
  const moved = movedTo(location.pathname);
  if (moved) history.replaceState(null, '', `${moved}${location.search}${location.hash}`);
  let page = pageAt(location.pathname);
  if (!page) {
    page = 'home';
    history.replaceState(null, '', PAGE_PATHS.home);
  }
  leave(true);
  shownAt = `${location.pathname}${location.search}`;
  signedInAs.shell.setCurrent(page);
  dispose = PAGES[page](root, {
    ...signedInAs.context,
    path: location.pathname.length > 1 ? location.pathname.replace(/\/+$/, '') : location.pathname,
    params: new URLSearchParams(location.search),
    navigate,
    replaceParams(params) {
      const query = params.toString();
      history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
      shownAt = `${location.pathname}${location.search}`;
    },
  });
  // A section asked for by the address (/settings#backups), once the page has drawn it.
  if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.focus();
}

function navigate(path: string): void {
  if (`${location.pathname}${location.search}${location.hash}` !== path) history.pushState(null, '', path);
  showPage();
}

/** Where the flow editor sent the owner to sign in (runtime/src/flows/gate.ts); only its own paths, `..` resolved. */
function returnPath(): string | undefined {
  const next = new URLSearchParams(location.search).get('next');
  if (next === null) return undefined;
  const target = new URL(next, location.origin);
  return target.origin === location.origin && target.pathname.startsWith('/flows/') ? `${target.pathname}${target.search}` : undefined;
}

async function enter(ownerName?: string): Promise<void> {
  const next = returnPath();
  if (next) {
    location.assign(next);
    return;
  }
  let device: Device | undefined;
  let deviceError: unknown;
  try {
    device = await api<Device>('/api/v1/device');
  } catch (error) {
    if (error instanceof ApiError && error.handled) return;
    deviceError = error;
  }
  if (device && isLanguage(device.language)) setLanguage(device.language);
  leave();
  const deviceName = device?.name ?? status?.name ?? t('app.name');
  const shell = drawShell({ header, nav, root }, { deviceName, onSignedOut: () => login(t('home.signedOut')) });
  signedInAs = { context: { device, deviceError, deviceName, ownerName, reload: () => void enter(ownerName) }, shell };
  showPage();
  remember(getLanguage());
}

/** After sign-in or setup: the session decides between the signed-in pages and sign-in. */
async function signedIn(notice?: string): Promise<void> {
  try {
    const session = await api<CurrentSession>('/api/v1/session', { allow401: true });
    await enter(session.owner.name);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) login(notice);
    else showUnreachable(error);
  }
}

async function boot(): Promise<void> {
  try {
    status = await api<Status>('/api/v1/status', { allow401: true });
  } catch (error) {
    showUnreachable(error);
    return;
  }
  drawChrome();
  if (status.setup === 'pending') {
    leave();
    startWizard(root, status, {
      onFinished: () => void signedIn(),
      onAlreadySetUp: () => {
        void boot();
      },
    });
    return;
  }
  const stored = rememberedLanguage();
  if (isLanguage(stored)) setLanguage(stored);
  const handoffSpent = await redeemHandoff();
  await signedIn(handoffSpent ? t('handoff.spent') : undefined);
}

/** Links to the signed-in pages open in place, keeping the session's page state and focus handling. */
document.addEventListener('click', (event) => {
  if (!signedInAs || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
  if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin || !pageAt(url.pathname)) return;
  // A section of the page on screen: the browser moves there itself.
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  event.preventDefault();
  navigate(`${url.pathname}${url.search}${url.hash}`);
});
window.addEventListener('popstate', () => {
  // A jump to a section of the page on screen (#backups) keeps the page.
  if (location.hash && `${location.pathname}${location.search}` === shownAt) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.focus();
  else showPage();
});

onUnauthorized(() => login());
onLanguageChange(() => drawChrome());
setLanguage(detectLanguage());
drawChrome();
void boot();
