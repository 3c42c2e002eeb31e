import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import { bodyParserErrorTranslator } from './body-parser-errors';
import { answerClientErrorsAsProblems } from './client-errors';
import { checkJsonContentType, hasBody, MAX_JSON_DEPTH, parseJsonBody } from './json-body';
import { buildOpenApiDocument, type OpenApiOptions } from './openapi';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createValidationPipe } from './validation.pipe';

export interface HttpEdgeOptions extends OpenApiOptions {
  /** Largest JSON body accepted (body-parser syntax). Default `100kb`. */
  jsonBodyLimit?: string;
  /** Deepest nesting of objects and arrays accepted. Default 32. */
  maxJsonDepth?: number;
  /** Serve the OpenAPI document at /openapi.json and the UI at /docs. Default true. */
  serveOpenApi?: boolean;
}

type Next = (error?: unknown) => void;
interface RawRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/**
 * Call once in main.ts, after NestFactory.create and before listen() (runService does):
 * JSON-only bodies bounded in size and depth before parsing, validation, problem+json errors
 * (domain errors included), problem+json for Node's own 400/431, and the OpenAPI document.
 * See docs/adr/0016-http-edge.md.
 */
export function configureHttpEdge(app: INestApplication, opts: HttpEdgeOptions): void {
  const adapter = app.getHttpAdapter();
  if (adapter.getType() === 'express') {
    const expressApp = app as NestExpressApplication;
    expressApp.disable('x-powered-by');
    const maxDepth = opts.maxJsonDepth ?? MAX_JSON_DEPTH;
    // 1. A body is JSON in UTF-8, or 415 before a byte of it is read.
    expressApp.use(function jsonOnly(req: RawRequest, _res: unknown, next: Next) {
      if (!hasBody(req)) return next();
      const contentType = req.headers['content-type'];
      next(checkJsonContentType(typeof contentType === 'string' ? contentType : undefined));
    });
    // 2. The raw bytes, size-bounded (413) and not inflated (415 for a content-encoding). Nest
    //    registers its json/urlencoded parsers after this one; they skip a body already read.
    expressApp.useBodyParser('raw', {
      type: () => true,
      limit: opts.jsonBodyLimit ?? '100kb',
      inflate: false,
    });
    // 3. Depth scan, then JSON.parse, then NUL / lone surrogate / null / prototype keys (400).
    expressApp.use(function jsonParser(req: RawRequest, _res: unknown, next: Next) {
      if (!Buffer.isBuffer(req.body)) return next();
      try {
        req.body = req.body.length === 0 ? undefined : parseJsonBody(req.body, maxDepth);
        next();
      } catch (err) {
        next(err);
      }
    });
    expressApp.use(bodyParserErrorTranslator);
  }
  answerClientErrorsAsProblems(app.getHttpServer() as Server);
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
