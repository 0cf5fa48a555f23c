import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const flowNode = z.looseObject({ id: z.string().min(1), type: z.string().min(1) });
const flowFile = z.array(flowNode).min(1);

export interface ShippedFlow {
  name: string;
  nodes: Array<z.infer<typeof flowNode>>;
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

/**
 * On the first start (no flow file yet) the shipped flows become the owner's flows, each on its
 * own tab. Never again: once the file exists it is the owner's, even emptied.
 */
export function installShippedFlows(userDir: string, flowFileName: string, examplesDir: string): ShippedFlow[] {
  const target = path.join(userDir, flowFileName);
  if (existsSync(target)) return [];
  const flows = readShippedFlows(examplesDir);
  mkdirSync(userDir, { recursive: true, mode: 0o700 });
  writeFileSync(target, `${JSON.stringify(flows.flatMap((flow) => flow.nodes), null, 4)}\n`, { mode: 0o600, flag: 'wx' });
  return flows;
}
