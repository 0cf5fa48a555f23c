import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installShippedFlows } from '../../runtime/src/flows/shippedFlows.ts';

let dir: string;
let userDir: string;
let examples: string;

const flowFile = () => path.join(userDir, 'flows.json');
const saved = () => JSON.parse(readFileSync(flowFile(), 'utf8')) as Array<Record<string, unknown>>;

/** A shipped flow: its tab and one function node whose code is `code`. */
function ship(name: string, tab: string, code: string): void {
  writeFileSync(
    path.join(examples, `${name}.json`),
    JSON.stringify([
      { id: tab, type: 'tab', label: name },
      { id: `${tab}-f`, type: 'function', z: tab, func: code, x: 100, y: 100, wires: [] },
    ]),
  );
}

test.before.each(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-shipped-flows-'));
  userDir = path.join(dir, 'flows');
  examples = path.join(dir, 'examples');
  mkdirSync(examples);
  ship('monthly-spending', 'ms', 'return msg;');
  ship('named-call-log', 'nc', 'return null;');
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

test('the first start installs every shipped flow; the next start with the same version changes nothing', () => {
  assert.equal(installShippedFlows(userDir, 'flows.json', examples), { installed: ['monthly-spending', 'named-call-log'], upgraded: [], kept: [] });
  const first = readFileSync(flowFile(), 'utf8');
  assert.equal(installShippedFlows(userDir, 'flows.json', examples), { installed: [], upgraded: [], kept: [] });
  assert.is(readFileSync(flowFile(), 'utf8'), first);
});

test('a newer version replaces a shipped flow the owner has not changed, in its place, and leaves the owner’s own flows be', () => {
  installShippedFlows(userDir, 'flows.json', examples);
  // Node-RED saves the owner's flows in its own order and key order, with the owner's own tab among them.
  const reordered = saved()
    .reverse()
    .map((node) => Object.fromEntries(Object.entries(node).reverse()));
  writeFileSync(flowFile(), JSON.stringify([{ id: 'mine', type: 'tab', label: 'Mine' }, ...reordered]));
  ship('monthly-spending', 'ms', '// summed per month now\nreturn msg;');

  assert.equal(installShippedFlows(userDir, 'flows.json', examples), { installed: [], upgraded: ['monthly-spending'], kept: [] });
  const nodes = saved();
  assert.is(nodes.find((node) => node.id === 'ms-f')!.func, '// summed per month now\nreturn msg;');
  assert.equal(
    nodes.map((node) => node.id),
    ['mine', 'nc-f', 'nc', 'ms', 'ms-f'],
    'the owner’s tab and the untouched flow where they were; the new version where the old one was',
  );
  assert.equal(installShippedFlows(userDir, 'flows.json', examples), { installed: [], upgraded: [], kept: [] }, 'upgraded once');
});

test('a shipped flow the owner changed, or deleted, stays as the owner left it', () => {
  installShippedFlows(userDir, 'flows.json', examples);
  const moved = saved()
    .filter((node) => node.id !== 'nc' && node.z !== 'nc')
    .map((node) => (node.id === 'ms-f' ? { ...node, x: 240 } : node));
  writeFileSync(flowFile(), JSON.stringify(moved));
  const before = readFileSync(flowFile(), 'utf8');
  ship('monthly-spending', 'ms', '// v2\nreturn msg;');
  ship('named-call-log', 'nc', '// v2\nreturn null;');

  assert.equal(installShippedFlows(userDir, 'flows.json', examples), { installed: [], upgraded: [], kept: ['monthly-spending'] });
  assert.is(readFileSync(flowFile(), 'utf8'), before);
});

test('an emptied flow file, or a flows folder from before shipped flows were recorded, is left alone', () => {
  installShippedFlows(userDir, 'flows.json', examples);
  writeFileSync(flowFile(), '[]');
  ship('monthly-spending', 'ms', '// v2\nreturn msg;');
  assert.equal(installShippedFlows(userDir, 'flows.json', examples), { installed: [], upgraded: [], kept: [] });
  assert.is(readFileSync(flowFile(), 'utf8'), '[]');

  writeFileSync(flowFile(), JSON.stringify([{ id: 'ms', type: 'tab', label: 'monthly-spending' }]));
  unlinkSync(path.join(userDir, '.hearth-shipped.json'));
  assert.equal(installShippedFlows(userDir, 'flows.json', examples), { installed: [], upgraded: [], kept: [] });
});

test.run();
