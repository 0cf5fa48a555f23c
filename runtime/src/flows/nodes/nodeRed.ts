// The part of Node-RED's node API that Hearth's nodes use. Node-RED ships no TypeScript types,
// and the community's @types/node-red describes older releases; these few lines are checked
// against what Node-RED 5 does (node_modules/@node-red/runtime/lib/nodes/Node.js).

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  topic?: string;
  [property: string]: unknown;
}

/** What `send` takes: one message, or one entry per output (an array sends several on that output). */
export type Outgoing = NodeMessage | null | Array<NodeMessage | NodeMessage[] | null>;

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export interface NodeContextStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

export interface Node {
  id: string;
  type: string;
  name?: string;
  on(event: 'input', listener: (msg: NodeMessage, send: (msg: Outgoing) => void, done: (error?: Error) => void) => void): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
  send(msg: Outgoing): void;
  status(status: NodeStatus | Record<string, never>): void;
  error(error: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  context(): NodeContextStore;
}

/** The properties every node's configuration carries, whatever its type. */
export interface NodeDefinition {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [property: string]: unknown;
}

export interface NodeSettingDefinition {
  value: unknown;
  /** Sent to the editor as RED.settings.<name>. */
  exportable: boolean;
}

export interface NodeAPI {
  nodes: {
    createNode(node: Node, definition: NodeDefinition): void;
    registerType(
      type: string,
      constructor: (this: Node, definition: NodeDefinition) => void,
      options?: { settings?: Record<string, NodeSettingDefinition> },
    ): void;
  };
  util: {
    generateId(): string;
    evaluateNodeProperty(value: unknown, type: string, node: Node, msg: NodeMessage): unknown;
  };
  settings: { fileWorkingDirectory?: string; [name: string]: unknown };
}
