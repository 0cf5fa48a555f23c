// Data: every collection of the owner's data, each with a page of its own under /data/…
//   /data                       the collections, how many each holds, the way to each and its export
//   /data/contacts[/new|/<id>[/edit]]   contacts (contactsPage.ts)
//   /data/bank                  accounts and transactions (bankPage.ts)
//   /data/bills[/new|/<id>]     bills and the payments they matched (billsPage.ts)
//   /data/energy                the meter's readings by hour, day or month, and their list (energyPage.ts)
//   /data/calendar[/new|/<id>]  events as an agenda or a month, and the event form (calendarPage.ts, eventForm.ts)
//   /data/<collection>          any other collection, through the same list (collectionViews.ts)
import { ApiError } from './api.ts';
import { showBank } from './bankPage.ts';
import { showBill, showBills } from './billsPage.ts';
import { showCalendar } from './calendarPage.ts';
import { genericView } from './collectionViews.ts';
import { collectionList } from './collectionList.ts';
import { showContact, showContactForm, showContacts } from './contactsPage.ts';
import { collectionTitle } from './dataNames.ts';
import { dataPageHead, dataPath, exportCard, exportLinks, loadCollections } from './dataParts.ts';
import { focusHeading, h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { showEnergy } from './energyPage.ts';
import { showEventForm } from './eventForm.ts';
import { formatNumber } from './format.ts';
import { icon, type IconName } from './icons.ts';
import { t } from './i18n.ts';
import { pageTitle, PAGE_PATHS, type Page } from './pages.ts';

const ICONS: Record<string, IconName> = {
  contacts: 'user',
  'calendar.events': 'calendar',
  calls: 'phone',
  'bank.accounts': 'bank',
  'bank.transactions': 'bank',
  bills: 'receipt',
  'energy.readings': 'bolt',
};

const showIndex: Page = (root, context) => {
  document.title = pageTitle(context, t('nav.data'));
  const controller = new AbortController();
  const heading = h('h1', { tabindex: -1 }, t('dataPage.title'));
  const body = h('div', { class: 'collection-grid', 'aria-busy': 'true' }, h('p', { class: 'updated' }, t('app.loading')));
  replace(root, h('div', { class: 'page-head' }, heading, h('p', { class: 'page-sub' }, t('dataPage.lead'))), body);
  focusHeading(heading);

  void loadCollections(controller.signal)
    .then((collections) => {
      replace(
        body,
        collections.map((collection) => {
          const title = collectionTitle(collection.name, collection.title);
          const titleId = `collection-${collection.name.replace('.', '-')}`;
          return h(
            'section',
            { class: 'card collection-card', 'aria-labelledby': titleId },
            h(
              'div',
              { class: 'collection-head' },
              icon(ICONS[collection.name] ?? 'database'),
              h('h2', { id: titleId }, h('a', { href: dataPath(collection.name) }, title)),
              h('span', { class: 'data-count' }, formatNumber(collection.count)),
            ),
            collection.count > 0 ? exportLinks(collection.name, collection.exportFormats) : h('p', { class: 'hint' }, t('dataPage.empty')),
          );
        }),
      );
    })
    .catch((error: unknown) => {
      if (controller.signal.aborted || (error instanceof ApiError && error.handled)) return;
      replace(body, h('p', { class: 'form-alert', role: 'alert' }, t('data.readError', { message: errorMessage(error) })));
    })
    .finally(() => body.removeAttribute('aria-busy'));
  return () => controller.abort();
};

/** Any collection without a page of its own: the same list, with the columns collectionViews.ts gives it. */
function showCollection(name: string): Page {
  return (root, context) => {
    const view = genericView(name)!;
    const title = collectionTitle(name);
    const controller = new AbortController();
    const heading = dataPageHead(root, context, title, t('dataPage.collectionLead'));
    const list = collectionList({
      ...view,
      collection: name,
      title: t('list.documents'),
      params: context.params,
      replaceParams: context.replaceParams,
      empty: () => h('p', { class: 'empty' }, t('dataPage.emptyCollection'), ' ', h('a', { href: `${PAGE_PATHS.import}?collection=${encodeURIComponent(name)}` }, t('dataPage.importInto'))),
    });
    root.append(list.element, exportCard([name], controller.signal));
    focusHeading(heading);
    return () => {
      controller.abort();
      list.dispose();
    };
  };
}

const notFoundPage: Page = (root, context) => {
  const heading = dataPageHead(root, context, t('dataPage.notFound'), t('dataPage.notFoundLead'));
  focusHeading(heading);
  return () => undefined;
};

/** The page that an address under /data names. */
function pageFor(path: string): Page {
  const parts = path.split('/').slice(2).map(decodeURIComponent);
  const [collection, id, action] = parts;
  if (collection === undefined) return showIndex;
  if (collection === 'contacts') {
    if (id === undefined) return showContacts;
    if (id === 'new' && action === undefined) return showContactForm(undefined);
    if (action === undefined) return showContact(id);
    if (action === 'edit' && parts.length === 3) return showContactForm(id);
    return notFoundPage;
  }
  if (collection === 'bills') {
    if (id === undefined) return showBills;
    if (action === undefined) return showBill(id === 'new' ? undefined : id);
    return notFoundPage;
  }
  if (collection === 'calendar') {
    if (id === undefined) return showCalendar;
    if (action === undefined) return showEventForm(id === 'new' ? undefined : id);
    return notFoundPage;
  }
  if (collection === 'bank' && id === undefined) return showBank;
  if (collection === 'energy' && id === undefined) return showEnergy;
  if (id === undefined && genericView(collection)) return showCollection(collection);
  return notFoundPage;
}

export const showData: Page = (root, context) => pageFor(context.path)(root, context);
