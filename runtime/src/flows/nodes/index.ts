import { collectionCatalogue, lookupCatalogue, queryCatalogue, writeCatalogue } from './catalogue.ts';
import { BACKUP_EVENTS, startBackupNode } from './backup.ts';
import { startChangesNode } from './changes.ts';
import type { HearthNodeDependencies } from './dependencies.ts';
import { startImportNode } from './import.ts';
import { startLookupNode } from './lookup.ts';
import type { Node, NodeAPI, NodeDefinition, NodeSettingDefinition } from './nodeRed.ts';
import { startQueryNode } from './query.ts';
import { startWriteNode } from './write.ts';

export type { HearthNodeDependencies } from './dependencies.ts';
export { createLocalNodeDependencies, type LocalNodeDependencies } from './localDependencies.ts';
export type { NodeAPI } from './nodeRed.ts';

type Start = (RED: NodeAPI, node: Node, definition: NodeDefinition, dependencies: HearthNodeDependencies) => void;

/**
 * The Hearth palette. Each type's edit dialog reads what it offers (collections and their
 * fields, connectors) from a setting exported to the editor, named after the type as Node-RED
 * requires: `hearthQueryCatalogue` for `hearth query`.
 */
const NODE_TYPES: Record<string, { start: Start; catalogue: (dependencies: HearthNodeDependencies) => unknown }> = {
  'hearth import': { start: startImportNode, catalogue: (dependencies) => dependencies.connectors },
  'hearth query': { start: startQueryNode, catalogue: queryCatalogue },
  'hearth write': { start: startWriteNode, catalogue: writeCatalogue },
  'hearth lookup': { start: startLookupNode, catalogue: lookupCatalogue },
  'hearth changes': { start: startChangesNode, catalogue: collectionCatalogue },
  'hearth backup': { start: startBackupNode, catalogue: () => BACKUP_EVENTS },
};

export const HEARTH_NODE_TYPES = Object.keys(NODE_TYPES);

const catalogueSetting = (type: string) => `${type.replace(/ (.)/g, (_match, letter: string) => letter.toUpperCase())}Catalogue`;

/**
 * Registers one Hearth node type with Node-RED. Node-RED calls this from the node set's file
 * (flows/nodes/hearth-*.js) with its node API; hearthd, or a unit test, supplies the dependencies.
 */
export function registerHearthNode(RED: NodeAPI, type: string, dependencies: HearthNodeDependencies): void {
  const implementation = NODE_TYPES[type];
  if (!implementation) throw new Error(`hearth-nodes has no node type “${type}”.`);
  const settings: Record<string, NodeSettingDefinition> = {
    [catalogueSetting(type)]: { value: implementation.catalogue(dependencies), exportable: true },
  };
  RED.nodes.registerType(
    type,
    function (this: Node, definition: NodeDefinition) {
      RED.nodes.createNode(this, definition);
      implementation.start(RED, this, definition, dependencies);
    },
    { settings },
  );
}
