// Import: choose (or drop) a file, say what it holds — guessed from its extension where only one
// connector reads it, else from its header row — and watch it upload and import, then read the
// report. Phone bills get a column mapping, showing the columns found in the header or the last
// mapping that worked.
import { callPresetForRegion, csvConnectorFor } from '../../runtime/src/formats/sniff.ts';
import { api, ApiError } from './api.ts';
import { callMappingForm } from './callMapping.ts';
import { binaryKindOfFile, readCsvPreview } from './csvPreview.ts';
import { collectionTitle, connectorDescription, connectorName } from './dataNames.ts';
import { davSection } from './davAccounts.ts';
import { focusHeading, h, replace, uid } from './dom.ts';
import { errorMessage } from './errors.ts';
import { field, formAlert, say } from './fields.ts';
import { formatBytes, formatPercent } from './format.ts';
import { icon } from './icons.ts';
import { getLanguage, t } from './i18n.ts';
import { importReportCard } from './importReport.ts';
import { uploadImport, type UploadTask } from './importUpload.ts';
import { pageTitle, type Page } from './pages.ts';
import type { Connector, ConnectorList, ImportReport } from './types.ts';

const CALLS = 'calls-csv';

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** The connectors that read a file: by its extension, else by its media type. */
function connectorsFor(file: { name: string; type: string }, connectors: Connector[]): Connector[] {
  const extension = extensionOf(file.name);
  const byExtension = extension ? connectors.filter((connector) => connector.formats.extensions.includes(extension)) : [];
  if (byExtension.length > 0) return byExtension;
  const type = file.type.toLowerCase();
  return type ? connectors.filter((connector) => connector.formats.mediaTypes.includes(type)) : [];
}

/** The server says so in its first rejection when a bill's header names none of the columns it knows. */
function needsMapping(report: ImportReport): boolean {
  return report.created + report.updated + report.unchanged === 0 && ['mapping_required', 'mapping_columns_missing'].includes(report.rejections[0]?.code ?? '');
}

export const showImport: Page = (root, context) => {
  document.title = pageTitle(context, t('nav.import'));
  let connectors: Connector[] = [];
  let file: File | undefined;
  let task: UploadTask | undefined;
  let disposed = false;
  let formats: string[] = [];

  const heading = h('h1', { tabindex: -1 }, t('import.title'));

  // What the file holds.
  const connectorSelect = h('select', { name: 'connector', required: true }, h('option', { value: '' }, t('app.loading')));
  const connectorField = field(connectorSelect, { label: t('import.connector') });

  // The file: a real file input (keyboard, screen readers) inside a label that is also the drop zone.
  const inputId = uid('file');
  const fileInput = h('input', { type: 'file', id: inputId, class: 'dropzone-input', 'aria-describedby': `${inputId}-hint` });
  const fileTitle = h('span', { class: 'dropzone-title' }, t('import.drop'));
  const fileHint = h('span', { class: 'dropzone-hint', id: `${inputId}-hint` }, t('import.dropHint'));
  const dropzone = h(
    'div',
    { class: 'dropzone' },
    fileInput,
    h('label', { for: inputId, class: 'dropzone-label' }, icon('file'), fileTitle, fileHint),
  );
  const fileError = h('p', { class: 'field-error', id: `${inputId}-error` });

  // The column mapping, for phone bills.
  // The device's region (from its time zone) says how its owner's bills write numbers and dates.
  const region = context.device?.region ?? '';
  const mapping = callMappingForm(callPresetForRegion(region, getLanguage()), region);
  const mappingPanelId = uid('mapping');
  const mappingPanel = h('div', { id: mappingPanelId, class: 'mapping-panel', hidden: true }, mapping.element);
  const mappingToggle = h(
    'button',
    { type: 'button', class: 'disclosure', 'aria-expanded': 'false', 'aria-controls': mappingPanelId, hidden: true },
    t('import.mappingToggle'),
  );
  mappingToggle.addEventListener('click', () => setMappingOpen(mappingToggle.getAttribute('aria-expanded') !== 'true'));

  // Progress while it uploads and imports.
  const phase = h('p', { class: 'progress-phase', role: 'status', id: uid('phase') });
  const bar = h('progress', { max: 100, 'aria-labelledby': phase.id });
  const detail = h('p', { class: 'progress-detail' });
  const cancel = h('button', { type: 'button', class: 'button secondary small' }, t('common.cancel'));
  cancel.addEventListener('click', () => task?.cancel());
  const progressPanel = h('div', { class: 'import-progress', hidden: true }, phase, bar, h('div', { class: 'progress-row' }, detail, cancel));

  const alert = formAlert();
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('import.submit'));
  const controls = h('fieldset', null, h('legend', { class: 'visually-hidden' }, t('import.formLegend')), dropzone, fileError, connectorField.wrapper, mappingToggle, mappingPanel);
  const form = h('form', { novalidate: true, class: 'import-form', 'aria-labelledby': 'import-card-title' }, controls, alert, progressPanel, h('div', { class: 'actions' }, submit));
  const reportSlot = h('div', { class: 'report-slot' });
  const servers = davSection();

  replace(
    root,
    h(
      'div',
      { class: 'import-layout' },
      h('div', { class: 'page-head' }, heading, h('p', { class: 'page-sub' }, t('import.lead'))),
      h('section', { class: 'card', 'aria-labelledby': 'import-card-title' }, h('h2', { id: 'import-card-title' }, t('import.cardTitle')), form),
      reportSlot,
      servers.element,
    ),
  );
  focusHeading(heading);

  const selected = () => connectors.find((connector) => connector.id === connectorSelect.value);

  function setMappingOpen(open: boolean): void {
    mappingPanel.hidden = !open;
    mappingToggle.setAttribute('aria-expanded', String(open));
    submit.textContent = open ? t('import.submitMapped') : t('import.submit');
    if (!open) mapping.setReason(null);
  }

  /** The description of what is chosen, or, for a file several connectors read, the question. */
  function describeConnector(ambiguous?: string): void {
    const connector = selected();
    connectorField.setError(null);
    connectorField.setHint(ambiguous ? t('import.ambiguous', { extension: ambiguous }) : connector ? connectorDescription(connector) : t('import.connectorHint'));
    connectorField.wrapper.classList.toggle('is-asking', Boolean(ambiguous));
    const isCalls = connector?.id === CALLS;
    mappingToggle.hidden = !isCalls;
    if (!isCalls) setMappingOpen(false);
    else void prepareMapping();
  }

  /** Read the bill's header in the browser; open the mapping when the last one that worked fits this file. */
  async function prepareMapping(): Promise<void> {
    const remembered = selected()?.rememberedOptions ?? null;
    mapping.remember(remembered);
    if (!file) {
      mapping.setPreview(undefined);
      return;
    }
    const chosen = file;
    const preview = await readCsvPreview(chosen).catch(() => undefined);
    if (disposed || chosen !== file) return;
    mapping.setPreview(preview, chosen.name);
    mapping.remember(remembered);
    if (remembered && mapping.fits(remembered) && mappingPanel.hidden) {
      mapping.setReason(t('mapping.remembered'));
      setMappingOpen(true);
    }
  }

  function chooseFile(chosen: File): void {
    file = chosen;
    fileError.textContent = '';
    fileInput.removeAttribute('aria-invalid');
    dropzone.classList.add('has-file');
    fileTitle.textContent = chosen.name;
    fileHint.textContent = t('import.fileChosen', { size: formatBytes(chosen.size) });
    replace(reportSlot);
    setMappingOpen(false);
    const candidates = connectorsFor(chosen, connectors);
    const current = selected();
    if (candidates.length === 1) {
      connectorSelect.value = candidates[0]!.id;
      describeConnector();
    } else if (candidates.length > 1 && !(current && candidates.includes(current))) {
      connectorSelect.value = '';
      describeConnector(extensionOf(chosen.name) || chosen.type);
      void chooseByContent(chosen, candidates);
    } else {
      describeConnector();
    }
    void warnIfNotText(chosen);
  }

  /** A .csv may be a phone bill or meter readings: its header row says which, as the import will read it. */
  async function chooseByContent(chosen: File, candidates: Connector[]): Promise<void> {
    const preview = await readCsvPreview(chosen).catch(() => undefined);
    if (disposed || chosen !== file || !preview || connectorSelect.value !== '') return;
    const id = csvConnectorFor(preview.header);
    const connector = candidates.find((candidate) => candidate.id === id);
    if (!connector) return;
    connectorSelect.value = connector.id;
    describeConnector();
  }

  /** A PDF or a spreadsheet where a CSV or an export is wanted: said at once, before any upload. */
  async function warnIfNotText(chosen: File): Promise<void> {
    const binary = await binaryKindOfFile(chosen).catch(() => undefined);
    // No connector reads PDFs or spreadsheets: every one wants the text export.
    if (disposed || chosen !== file || !binary) return;
    fileError.textContent = t(binary === 'pdf' ? 'import.pdf' : 'import.spreadsheet');
  }

  fileInput.addEventListener('change', () => {
    const chosen = fileInput.files?.[0];
    if (chosen) chooseFile(chosen);
  });
  connectorSelect.addEventListener('change', () => describeConnector());

  // A file dropped anywhere on the page is taken (and never opened by the browser instead).
  let dragDepth = 0;
  const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
  const onDragEnter = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    dragDepth += 1;
    dropzone.classList.add('is-dragover');
  };
  const onDragLeave = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) dropzone.classList.remove('is-dragover');
  };
  const onDragOver = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = task ? 'none' : 'copy';
  };
  const onDrop = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth = 0;
    dropzone.classList.remove('is-dragover');
    const dropped = event.dataTransfer?.files[0];
    if (dropped && !task) chooseFile(dropped);
  };
  window.addEventListener('dragenter', onDragEnter);
  window.addEventListener('dragleave', onDragLeave);
  window.addEventListener('dragover', onDragOver);
  window.addEventListener('drop', onDrop);

  function showProgress(text: string, value: number | null, detailText: string): void {
    if (phase.textContent !== text) phase.textContent = text;
    if (value === null) bar.removeAttribute('value');
    else bar.value = value;
    detail.textContent = detailText;
  }

  function drawEmptyZone(): void {
    fileTitle.textContent = t('import.drop');
    replace(fileHint, t('import.dropHint'), formats.length > 0 ? h('span', { class: 'formats' }, formats.join(' ')) : null);
  }

  function reset(): void {
    file = undefined;
    fileInput.value = '';
    dropzone.classList.remove('has-file');
    drawEmptyZone();
    replace(reportSlot);
    setMappingOpen(false);
    describeConnector();
    fileInput.focus();
  }

  async function runImport(): Promise<void> {
    say(alert, '');
    const connector = selected();
    if (!file) {
      fileError.textContent = t('import.fileRequired');
      fileInput.setAttribute('aria-invalid', 'true');
      fileInput.setAttribute('aria-describedby', `${inputId}-error ${inputId}-hint`);
      say(alert, t('import.fileRequired'), 'error', true);
      fileInput.focus();
      return;
    }
    if (!connector) {
      connectorField.setError(t('import.connectorRequired'));
      say(alert, t('import.connectorRequired'), 'error', true);
      connectorSelect.focus();
      return;
    }
    const options = connector.id === CALLS && !mappingPanel.hidden ? mapping.read() : undefined;
    if (connector.id === CALLS && !mappingPanel.hidden && !options) {
      say(alert, t('mapping.incomplete'), 'error', true);
      return;
    }

    const sending = file;
    controls.disabled = true;
    const idleLabel = submit.textContent;
    submit.disabled = true;
    submit.classList.add('is-busy');
    submit.textContent = t('import.submitting');
    progressPanel.hidden = false;
    showProgress(t('import.sending'), 0, '');
    replace(reportSlot);
    form.setAttribute('aria-busy', 'true');
    let report: ImportReport | undefined;
    try {
      task = uploadImport(sending, connector.id, options as Record<string, unknown> | undefined, {
        onSent(loaded, total) {
          if (loaded >= total) showProgress(t('import.reading'), null, t('import.readingDetail', { records: 0, rejected: 0 }));
          else showProgress(t('import.sending'), total ? (loaded / total) * 100 : 0, t('import.sentDetail', { percent: formatPercent(total ? (loaded / total) * 100 : 0), size: formatBytes(total) }));
        },
        onProgress(progress) {
          showProgress(t(progress.phase === 'saving' ? 'import.saving' : 'import.reading'), null, t('import.readingDetail', { records: progress.records, rejected: progress.rejected }));
        },
      });
      report = await task.report;
    } catch (error) {
      if (disposed) return;
      if (error instanceof DOMException && error.name === 'AbortError') say(alert, t('import.cancelled'));
      else if (!(error instanceof ApiError && error.handled)) say(alert, t('import.failed', { message: errorMessage(error) }));
    } finally {
      task = undefined;
      if (!disposed) {
        controls.disabled = false;
        submit.disabled = false;
        submit.classList.remove('is-busy');
        submit.textContent = idleLabel;
        progressPanel.hidden = true;
        form.removeAttribute('aria-busy');
      }
    }
    if (!report || disposed) {
      if (!disposed && alert.textContent) submit.focus();
      return;
    }

    if (options && report.created + report.updated + report.unchanged > 0) connector.rememberedOptions = options as unknown as Record<string, unknown>;
    const card = importReportCard(report, {
      fileName: sending.name,
      connectorName: connectorName(connector),
      collections: connector.collections,
      onAnother: reset,
    });
    replace(reportSlot, card.element);
    if (connector.id === CALLS && needsMapping(report)) {
      setMappingOpen(true);
      mapping.setReason(t('mapping.needed'));
      focusHeading(mapping.heading);
    } else {
      focusHeading(card.heading);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!task) void runImport();
  });

  void (async () => {
    try {
      // Account connectors (CardDAV, CalDAV) read no file: they have their own section below.
      connectors = (await api<ConnectorList>('/api/v1/connectors')).connectors.filter((connector) => connector.kind === 'file');
    } catch (error) {
      if (disposed || (error instanceof ApiError && error.handled)) return;
      say(alert, t('import.loadError', { message: errorMessage(error) }));
      return;
    }
    if (disposed) return;
    replace(
      connectorSelect,
      h('option', { value: '' }, t('import.connectorChoose')),
      connectors.map((connector) => h('option', { value: connector.id }, connectorName(connector))),
    );
    formats = [...new Set(connectors.flatMap((connector) => connector.formats.extensions))];
    const types = [...new Set(connectors.flatMap((connector) => connector.formats.mediaTypes))];
    fileInput.accept = [...formats, ...types].join(',');
    if (!file) drawEmptyZone();
    // ?connector=calls-csv, or ?collection=contacts when one connector fills it (links from Home and empty pages).
    const wanted = context.params.get('connector');
    const collection = context.params.get('collection');
    const forCollection = collection ? connectors.filter((connector) => connector.collections.some((name) => name === collection)) : [];
    if (wanted && connectors.some((connector) => connector.id === wanted)) connectorSelect.value = wanted;
    else if (forCollection.length === 1) connectorSelect.value = forCollection[0]!.id;
    else if (collection && forCollection.length === 0) say(alert, t('import.noConnectorFor', { collection: collectionTitle(collection) }));
    describeConnector();
  })();

  return () => {
    disposed = true;
    task?.cancel();
    servers.stop();
    window.removeEventListener('dragenter', onDragEnter);
    window.removeEventListener('dragleave', onDragLeave);
    window.removeEventListener('dragover', onDragOver);
    window.removeEventListener('drop', onDrop);
  };
};
