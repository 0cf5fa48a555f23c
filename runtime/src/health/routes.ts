import { json, route, type Route } from '../http/index.ts';
import type { HealthSampler } from './sampler.ts';

export function healthRoutes(sampler: HealthSampler): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/health',
      access: { scope: 'health:read' },
      // The first sample lands within a second of start; a caller that early waits for it once.
      handle: async () => json(200, sampler.latest() ?? (await sampler.sampleNow())),
    }),
  ];
}
