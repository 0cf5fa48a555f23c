// Settings → Security: two-step sign-in (authenticator app, passkeys), the signed-in browsers, what
// flows may do on the device, the security log.
import { focusHeading, h, replace } from './dom.ts';
import { flowCommandsCard } from './flowCommandsCard.ts';
import { t } from './i18n.ts';
import { pageTitle, PAGE_PATHS, type Page } from './pages.ts';
import { securityLogCard } from './securityLogCard.ts';
import { sessionsCard } from './sessionsCard.ts';
import { twoFactorCard } from './twoFactorCard.ts';

export function createSecurityPage(onSignedOut: () => void): Page {
  return (root, context) => {
    document.title = pageTitle(context, t('security.title'));
    const heading = h('h1', { tabindex: -1 }, t('security.title'));
    replace(
      root,
      h('nav', { class: 'breadcrumb', 'aria-label': t('data.breadcrumb') }, h('a', { href: PAGE_PATHS.settings }, t('nav.settings'))),
      h('div', { class: 'page-head' }, heading, h('p', { class: 'page-sub' }, t('security.lead'))),
      h('div', { class: 'grid' }, h('div', { class: 'column' }, twoFactorCard()), h('div', { class: 'column' }, sessionsCard(onSignedOut), flowCommandsCard())),
      securityLogCard(),
    );
    focusHeading(heading);
    return () => {};
  };
}
