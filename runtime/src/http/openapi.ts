import { z } from 'zod';
import type { Route } from './router.ts';

export interface OpenApiOptions {
  version: string;
  /** Named schemas (the collections' documents), shown under components. */
  schemas: Record<string, z.ZodType>;
}

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        field: { type: 'string' },
        retryAfter: { type: 'integer' },
        // A refused server certificate (dav_tls), to compare and send back to trust it.
        certificateFingerprint: { type: 'string' },
      },
    },
  },
};

/** One OpenAPI parameter per key of a route's query schema; `description` from the schema's `.describe()`. */
function queryParameters(schema: z.ZodObject) {
  const described = jsonSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(described.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: 'query', required: described.required?.includes(name) ?? false, ...(typeof description === 'string' ? { description } : {}), schema: rest };
  });
}

/**
 * The machine-readable description, made from the routes themselves (paths, methods, who may
 * call, path, query and body schemas) so it cannot drift from what the server does.
 */
export function buildOpenApi(routes: Route[], options: OpenApiOptions) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (!route.path.startsWith('/api/')) continue;
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [
      ...[...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...(route.query ? queryParameters(route.query) : []),
    ];
    const access = route.access;
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: `${route.method} ${route.path}`,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(access === 'public' ? { security: [] } : {}),
      ...(typeof access === 'object' ? { 'x-hearth-scope': access.scope } : access === 'owner' ? { 'x-hearth-access': 'owner session only' } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
      responses: {
        '2XX': { description: 'Success' },
        '4XX': { description: 'A request the API refuses, with a code and a message', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ...(route.method === 'GET'
          ? {}
          : {
              '503': { description: 'busy: an import was being saved and held the database past 5 s; nothing was saved, try again (Retry-After)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
              '507': { description: 'disk_full: the storage holding the data is full; nothing was saved', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
            }),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Hearth API', version: options.version, description: 'The HTTP API of a Hearth device. Collections of the owner’s data, imports, mash-ups, exports.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: '__Host-hearth_session' },
        token: { type: 'http', scheme: 'bearer', description: 'A Hearth API token (hth_…), scoped per collection.' },
      },
      schemas: { Error: errorSchema, ...Object.fromEntries(Object.entries(options.schemas).map(([name, schema]) => [name, jsonSchema(schema)])) },
    },
    security: [{ session: [] }, { token: [] }],
  };
}
