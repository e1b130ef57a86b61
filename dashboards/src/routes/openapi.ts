/** `/api/v1/openapi.json`: the API described from the same zod schemas that validate it. */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { erasureInput } from '../erasure.js';
import { ERRORS } from '../errors.js';
import { QUESTIONS } from '../queries/index.js';

interface JsonSchemaObject {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
}

function parametersOf(schema: z.ZodType) {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaObject;
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

export function openApiDocument() {
  const errorResponse = { $ref: '#/components/responses/Error' };
  const paths = Object.fromEntries(
    QUESTIONS.map((q) => [
      `/api/v1/${q.name}`,
      {
        get: {
          operationId: q.name,
          summary: q.summary,
          security: [{ readKey: [] }],
          parameters: parametersOf(q.params),
          responses: {
            200: { description: `The ${q.name} result as JSON.` },
            400: errorResponse,
            401: errorResponse,
            403: errorResponse,
            503: errorResponse,
          },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Waymark query API',
      version: '1',
      description:
        'Journey funnels, drop-off, channel attribution, channel trends and retention cohorts. Dates are UTC days, `from` and `to` inclusive. Errors: ' +
        Object.entries(ERRORS)
          .map(([code, e]) => `${code} (${e.status}): ${e.description}`)
          .join(' '),
    },
    components: {
      securitySchemes: {
        readKey: { type: 'http', scheme: 'bearer' },
        adminKey: {
          type: 'http',
          scheme: 'bearer',
          description: "One of the project's adminKeys.",
        },
      },
      responses: {
        Error: {
          description: 'An error: `{ statusCode, error, code, message }`.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['statusCode', 'error', 'code', 'message'],
                properties: {
                  statusCode: { type: 'integer' },
                  error: { type: 'string' },
                  code: { type: 'string', enum: Object.keys(ERRORS) },
                  message: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
    paths: {
      ...paths,
      '/api/v1/project': {
        get: {
          operationId: 'project',
          summary: "The read key's project and its stage rules.",
          security: [{ readKey: [] }],
          responses: { 200: { description: 'Project id and stage rules.' }, 401: errorResponse },
        },
      },
      '/api/v1/admin/erase': {
        post: {
          operationId: 'erase',
          summary:
            'Erase a person (GDPR/CCPA): their rows, through the identity map, from every table and answer; their ids suppressed against replays; an audit entry kept without personal data.',
          security: [{ adminKey: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: z.toJSONSchema(erasureInput, { io: 'input', unrepresentable: 'any' }),
              },
            },
          },
          responses: {
            200: {
              description:
                'The report: erasureId, projectId, anonymousIds and userIds found, eventRows and identityRows deleted.',
            },
            400: errorResponse,
            401: errorResponse,
            503: errorResponse,
          },
        },
      },
      '/health': { get: { operationId: 'health', responses: { 200: { description: 'Alive.' } } } },
    },
  };
}

export const openApiRoute: FastifyPluginAsync = async (app) => {
  const document = openApiDocument();
  app.get('/api/v1/openapi.json', async () => document);
};
