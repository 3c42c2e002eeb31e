import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { completeOperations } from './openapi-operations';

export interface OpenApiOptions {
  title: string;
  version: string;
  description?: string;
}

/** Name of the bearer security scheme; use `@ApiBearerAuth(BEARER_SCHEME)` if needed per route. */
export const BEARER_SCHEME = 'bearer';

/**
 * Builds the OpenAPI document from the app's controllers and DTOs, with a JWT bearer
 * scheme required by default and a ProblemDetails schema to reference from responses.
 * Deterministic, so a script can write it to contracts/openapi/<service>.json.
 */
export function buildOpenApiDocument(app: INestApplication, opts: OpenApiOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(opts.title)
    .setVersion(opts.version)
    .setDescription(opts.description ?? '')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .addSecurityRequirements(BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ProblemDetails: PROBLEM_DETAILS_SCHEMA },
  };
  completeOperations(app, document);
  return document;
}

const PROBLEM_DETAILS_SCHEMA = {
  type: 'object' as const,
  description:
    'RFC 9457 problem details (application/problem+json). `type` is a URI under ' +
    'https://ketenlink.nl/problems/; `errors` lists findings by JSON pointer into the request ' +
    'body ("" = the request as a whole), never the rejected values.',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' as const, format: 'uri' },
    title: { type: 'string' as const },
    status: { type: 'integer' as const },
    detail: { type: 'string' as const },
    instance: { type: 'string' as const },
    errors: {
      type: 'array' as const,
      items: {
        type: 'object' as const,
        required: ['pointer', 'message'],
        properties: {
          pointer: { type: 'string' as const, description: 'RFC 6901 JSON pointer' },
          message: { type: 'string' as const },
        },
      },
    },
  },
};
