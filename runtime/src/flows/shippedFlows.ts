import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FLOWS_FILE_MODE, FLOWS_FOLDER_MODE } from './shareFolder.ts';

const flowNode = z.looseObject({ id: z.string().min(1), type: z.string().min(1), z: z.string().optional() });
const flowFile = z.array(flowNode).min(1);
type FlowNode = z.infer<typeof flowNode>;

/** What each shipped flow was when it was installed or last upgraded, by name: a digest of its nodes. */
const installedRecord = z.record(z.string(), z.string());
/** Beside the flow file, in the flows folder: Node-RED leaves files it does not know alone. */
const RECORD_FILE = '.hearth-shipped.json';

export interface ShippedFlow {
  name: string;
  nodes: FlowNode[];
}

export interface ShippedFlowsOutcome {
  /** Installed on the first start. */
  installed: string[];
  /** Replaced by this version's, as the owner had not changed them. */
  upgraded: string[];
  /** Left as the owner changed them, though this version ships another. */
  kept: string[];
}

/** The flows Hearth ships: flows/*.json, which the node set also offers as its examples. */
function readShippedFlows(dir: string): ShippedFlow[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = flowFile.safeParse(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
      if (!parsed.success) throw new Error(`${file} is not a Node-RED flow export: ${parsed.error.issues[0]!.message}`);
      return { name: file.replace(/\.json$/, ''), nodes: parsed.data };
    });
}

const sortedKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sortedKeys)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, inner]) => [key, sortedKeys(inner)]))
      : value;

/** The same nodes give the same digest, whatever order Node-RED saved them or their properties in. */
function digest(nodes: FlowNode[]): string {
  const ordered = [...nodes].sort((a, b) => (a.id < b.id ? -1 : 1)).map(sortedKeys);
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex');
}

/** A shipped flow is one tab: its nodes are the tab and what lies on it. */
const tabOf = (flow: ShippedFlow) => flow.nodes.find((node) => node.type === 'tab')?.id;

function readJson<T>(file: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text, { mode: FLOWS_FILE_MODE });
  renameSync(`${file}.tmp`, file);
}

const flowText = (nodes: FlowNode[]) => `${JSON.stringify(nodes, null, 4)}\n`;

/**
 * On the first start (no flow file yet) the shipped flows become the owner's flows, each on its
 * own tab. After that the file is the owner's, even emptied; but a shipped flow the owner has
 * not changed since it was installed (its nodes as recorded then) is replaced by a newer version
 * of it, so an update can bring a better flow to a device. A changed or deleted one is left alone.
 */
export function installShippedFlows(userDir: string, flowFileName: string, examplesDir: string): ShippedFlowsOutcome {
  const target = path.join(userDir, flowFileName);
  const recordFile = path.join(userDir, RECORD_FILE);
  const flows = readShippedFlows(examplesDir);
  const outcome: ShippedFlowsOutcome = { installed: [], upgraded: [], kept: [] };
  if (!existsSync(target)) {
    mkdirSync(userDir, { recursive: true, mode: FLOWS_FOLDER_MODE });
    writeFileSync(target, flowText(flows.flatMap((flow) => flow.nodes)), { mode: FLOWS_FILE_MODE, flag: 'wx' });
    writeAtomically(recordFile, `${JSON.stringify(Object.fromEntries(flows.map((flow) => [flow.name, digest(flow.nodes)])))}\n`);
    outcome.installed = flows.map((flow) => flow.name);
    return outcome;
  }
  // Without a readable record or flow file nothing is known to be untouched: Node-RED says what it makes of the file.
  const record = readJson(recordFile, installedRecord);
  const owners = readJson(target, z.array(flowNode));
  if (!record || !owners) return outcome;
  let nodes = owners;
  for (const flow of flows) {
    const tab = tabOf(flow);
    const installed = record[flow.name];
    const shipped = digest(flow.nodes);
    if (!tab || installed === undefined || installed === shipped) continue;
    const isOnTab = (node: FlowNode) => node.id === tab || node.z === tab;
    const current = nodes.filter(isOnTab);
    if (current.length === 0) continue;
    if (digest(current) !== installed) {
      outcome.kept.push(flow.name);
      continue;
    }
    const at = nodes.slice(0, nodes.findIndex((node) => node.id === tab)).filter((node) => !isOnTab(node)).length;
    const others = nodes.filter((node) => !isOnTab(node));
    nodes = [...others.slice(0, at), ...flow.nodes, ...others.slice(at)];
    record[flow.name] = shipped;
    outcome.upgraded.push(flow.name);
  }
  if (outcome.upgraded.length > 0) {
    writeAtomically(target, flowText(nodes));
    writeAtomically(recordFile, `${JSON.stringify(record)}\n`);
  }
  return outcome;
}
