export { createFlowEditor, NODE_SET_DIR, SHIPPED_FLOWS_DIR, type FlowEditor, type FlowEditorOptions } from './editor.ts';
export { flowSettingsRoutes, readFlowPreferences, type FlowPreferences } from './preferences.ts';
export { FLOW_EDITOR_CONTENT_SECURITY_POLICY } from './settings.ts';
export { readShippedFlows, type ShippedFlow } from './shippedFlows.ts';
export { registerHearthNode, HEARTH_NODE_TYPES, FLOW_SOURCE, type HearthNodeDependencies, type NodeAPI } from './nodes/index.ts';
