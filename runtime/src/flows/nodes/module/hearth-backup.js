// Node-RED loads node sets from files; Hearth's nodes are TypeScript inside hearthd
// (runtime/src/flows/nodes/). This file only hands Node-RED's API to the registration that
// hearthd passed in Node-RED's settings (runtime/src/flows/settings.ts).
export default function (RED) {
  if (!RED.settings.hearthNodes) throw new Error('hearth-nodes run inside hearthd only');
  RED.settings.hearthNodes.register(RED, 'hearth backup');
}
