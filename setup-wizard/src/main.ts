// Entry point: ask the device where it stands, then show the wizard, sign-in or home.
import { api, ApiError, onUnauthorized } from './api.ts';
import { focusHeading, h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { showHome } from './home.ts';
import { detectLanguage, getLanguage, isLanguage, onLanguageChange, setLanguage, t } from './i18n.ts';
import { showLogin } from './login.ts';
import type { Status } from './types.ts';
import { startWizard } from './wizard.ts';

const LANGUAGE_KEY = 'hearth.language';

const root = document.getElementById('main') as HTMLElement;
const header = document.getElementById('topbar-actions') as HTMLElement;
const footer = document.getElementById('footer-text');
const skip = document.getElementById('skip-link');

let status: Status | undefined;
let dispose: (() => void) | undefined;

function leave(): void {
  dispose?.();
  dispose = undefined;
  document.querySelectorAll('dialog').forEach((dialog) => dialog.remove());
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

async function home(ownerName?: string): Promise<void> {
  leave();
  const stop = await showHome(root, {
    header,
    fallbackName: status?.name ?? t('app.name'),
    ...(ownerName ? { ownerName } : {}),
    onSignedOut: () => login(t('home.signedOut')),
  });
  dispose = stop;
  remember(getLanguage());
}

/** After sign-in or setup: the session decides between home and sign-in. */
async function signedIn(): Promise<void> {
  try {
    const session = await api<{ name?: string; owner?: { name?: string } } | undefined>('/api/v1/session', {
      allow401: true,
    });
    await home(session?.owner?.name ?? session?.name);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) login();
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
  await signedIn();
}

onUnauthorized(() => login());
onLanguageChange(() => drawChrome());
setLanguage(detectLanguage());
drawChrome();
void boot();
