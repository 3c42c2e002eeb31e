import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { bodyParserErrorTranslator } from './body-parser-errors';
import { buildOpenApiDocument, type OpenApiOptions } from './openapi';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createValidationPipe } from './validation.pipe';

export interface HttpEdgeOptions extends OpenApiOptions {
  /** Largest JSON body accepted (body-parser syntax). Default `100kb`. */
  jsonBodyLimit?: string;
  /** Serve the OpenAPI document at /openapi.json and the UI at /docs. Default true. */
  serveOpenApi?: boolean;
}

/**
 * Call once in main.ts, after NestFactory.create and before listen():
 * validation, problem+json errors, JSON body limits and the OpenAPI document.
 */
export function configureHttpEdge(app: INestApplication, opts: HttpEdgeOptions): void {
  const adapter = app.getHttpAdapter();
  if (adapter.getType() === 'express') {
    const expressApp = app as NestExpressApplication;
    expressApp.disable('x-powered-by');
    // Our own JSON parser, so its errors can be translated right behind it;
    // Nest then skips registering its default one.
    expressApp.useBodyParser('json', { limit: opts.jsonBodyLimit ?? '100kb' });
    expressApp.use(bodyParserErrorTranslator);
  }
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)));

  if (opts.serveOpenApi ?? true) {
    const document = buildOpenApiDocument(app, opts);
    SwaggerModule.setup('docs', app, document, {
      jsonDocumentUrl: '/openapi.json',
      raw: ['json'],
      customSiteTitle: opts.title,
    });
  }
}
