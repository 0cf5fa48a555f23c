import type { Client } from './client.ts';

/** A tab whose Function node runs `code` once, as soon as the flows start (an inject node "once"). */
export function runOnceTab(code: string, label = 'Runs once'): Array<Record<string, unknown>> {
  const tab = 'c0de000000000000';
  const inject = 'c0de000000000001';
  const run = 'c0de000000000002';
  return [
    { id: tab, type: 'tab', label },
    { id: inject, type: 'inject', z: tab, once: true, onceDelay: 0.1, repeat: '', topic: '', payload: '', payloadType: 'date', props: [{ p: 'payload' }], wires: [[run]] },
    { id: run, type: 'function', z: tab, func: code, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires: [[]] },
  ];
}

/** Replaces every flow through the editor's admin API, as the editor's Deploy does; throws unless Node-RED took them. */
export async function deployFlows(client: Client, flows: unknown[]): Promise<void> {
  const response = await client.request('POST', '/flows/flows', { body: { flows }, headers: { 'node-red-deployment-type': 'full', 'node-red-api-version': 'v2' } });
  if (response.status !== 200) throw new Error(`deploy: ${response.status} ${response.text}`);
}
