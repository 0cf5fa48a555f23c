export { createFlowEditor, type FlowEditor, type FlowEditorOptions } from './editor.ts';
export { flowSettingsRoutes, type FlowPreferences } from './preferences.ts';
export { registerHearthNode, createLocalNodeDependencies, HEARTH_NODE_TYPES, type HearthNodeDependencies, type NodeAPI } from './nodes/index.ts';
