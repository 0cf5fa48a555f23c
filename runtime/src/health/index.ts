export { startHealthSampler, type HealthSampler, type HealthSnapshot } from './sampler.ts';
export { healthRoutes } from './routes.ts';
