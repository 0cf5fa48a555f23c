import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { importOptions, importOptionsText } from '../../imports/index.ts';
import type { HearthNodeDependencies } from './dependencies.ts';
import type { Node, NodeAPI, NodeDefinition, NodeMessage } from './nodeRed.ts';
import { errorMessage, readDefinition, throttledStatus } from './shared.ts';

const importDefinition = z.object({
  connector: z.string().min(1, 'Choose a connector.'),
  /** `payload`: the file's content arrives in msg.payload. `file`: a path on the device. `url`: fetched over HTTP(S). */
  source: z.enum(['payload', 'file', 'url']).default('payload'),
  /** Empty: msg.filename. Relative paths start at Node-RED's working directory for files (the flows folder). */
  file: z.string().default(''),
  /** Empty: msg.url. */
  url: z.string().default(''),
  /** Connector options as JSON, e.g. the calls-csv column mapping; msg.options replaces them. */
  options: importOptionsText.optional(),
});

type ImportDefinition = z.infer<typeof importDefinition>;

async function fetchBody(url: string): Promise<Uint8Array> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`“${url}” is not a URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`Only http and https URLs can be imported, not ${parsed.protocol}`);
  const response = await fetch(parsed, { redirect: 'follow' });
  if (!response.ok) throw new Error(`${parsed.host} answered ${response.status} ${response.statusText}.`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The file's content, read whole before the import is asked for: what goes through the door is data, not a stream. */
function contentFor(RED: NodeAPI, definition: ImportDefinition, msg: NodeMessage): Promise<Uint8Array> {
  switch (definition.source) {
    case 'payload': {
      const content = msg.payload;
      if (typeof content === 'string') return Promise.resolve(Buffer.from(content, 'utf8'));
      if (content instanceof Uint8Array) return Promise.resolve(content);
      return Promise.reject(new Error('msg.payload must hold the file’s content (a Buffer or a string).'));
    }
    case 'file': {
      const file = definition.file || msg.filename;
      if (typeof file !== 'string' || file === '') return Promise.reject(new Error('No file: set one in the node or send msg.filename.'));
      return readFile(path.resolve(RED.settings.fileWorkingDirectory ?? process.cwd(), file));
    }
    case 'url': {
      const url = definition.url || msg.url;
      if (typeof url !== 'string' || url === '') return Promise.reject(new Error('No URL: set one in the node or send msg.url.'));
      return fetchBody(url);
    }
  }
}

/**
 * `hearth import`: runs a connector (calls-csv, vcard, ofx…) on a file's content, a file path or
 * a URL, into the store, as the import API does; the import report leaves in msg.payload.
 */
export function startImportNode(RED: NodeAPI, node: Node, raw: NodeDefinition, dependencies: HearthNodeDependencies): void {
  const definition = readDefinition(node, importDefinition, raw);
  if (!definition) return;
  const { connector } = definition;
  if (!dependencies.connectors.some(({ id }) => id === connector)) {
    node.status({ fill: 'red', shape: 'ring', text: 'not configured' });
    node.error(`Configuration: there is no connector “${connector}”; choose one of ${dependencies.connectors.map(({ id }) => id).join(', ')}.`);
    return;
  }
  const status = throttledStatus(node);
  node.status({});

  node.on('input', (msg, send, done) => {
    const options = importOptions.safeParse(msg.options);
    void (async () => {
      status.show({ fill: 'blue', shape: 'ring', text: 'importing…' });
      const content = await contentFor(RED, definition, msg);
      const report = await dependencies.importFile({ connector, content, options: (options.success ? options.data : definition.options) ?? {} }, ({ phase, records }) =>
        status.show({ fill: 'blue', shape: 'ring', text: phase === 'saving' ? `saving ${records} records…` : `importing… ${records} records` }),
      );
      const stored = report.created + report.updated + report.unchanged;
      const clean = report.complete && report.rejected === 0;
      status.show({
        fill: clean ? 'green' : 'yellow',
        shape: 'dot',
        text: `${stored} stored (${report.created} new)${report.rejected > 0 ? `, ${report.rejected} rejected` : ''}${report.complete ? '' : ', stopped early'}`,
      });
      send({ ...msg, payload: report });
    })().then(
      () => done(),
      (error: unknown) => {
        status.show({ fill: 'red', shape: 'ring', text: 'failed' });
        done(new Error(`Import with ${connector} failed: ${errorMessage(error)}`));
      },
    );
  });

  node.on('close', (_removed, done) => {
    status.stop();
    done();
  });
}
