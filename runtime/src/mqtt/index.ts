export { startMqtt, type MqttService } from './service.ts';
export { mqttRoutes } from './routes.ts';
export { backupTopic, collectionTopic, healthTopic, scopeForTopic } from './topics.ts';
