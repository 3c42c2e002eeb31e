// Public API of @ketenlink/http (docs/adr/0005-auth-and-http-edge.md).
//
//   const app = await NestFactory.create(AppModule);                     // main.ts
//   configureHttpEdge(app, { title: 'Trajectory API', version: '1.0.0' });
//   await app.listen(port);
//   throw new ProblemException(409, 'agreement-already-active', 'Agreement already active');
export { configureHttpEdge, type HttpEdgeOptions } from './configure-http-edge';
export { buildOpenApiDocument, BEARER_SCHEME, type OpenApiOptions } from './openapi';
export { ProblemException } from './problem.exception';
export { domainErrorToProblem } from './domain-errors';
export { answerClientErrorsAsProblems, clientErrorResponse } from './client-errors';
export {
  checkJsonContentType,
  findForbiddenValues,
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
  parseJsonBody,
} from './json-body';
export {
  flattenValidationErrors,
  ValidationProblemException,
} from './validation-problem.exception';
export { ProblemDetailsFilter, toProblem } from './problem-details.filter';
export { createValidationPipe } from './validation.pipe';
export {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE,
  pointerSegment,
  problemType,
  type FieldError,
  type ProblemDetails,
} from './problem-details';
