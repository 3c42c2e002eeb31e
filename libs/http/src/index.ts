export { configureHttpEdge, type HttpEdgeOptions } from './configure-http-edge';
export { buildOpenApiDocument, BEARER_SCHEME, type OpenApiOptions } from './openapi';
export { ProblemException } from './problem.exception';
export {
  flattenValidationErrors,
  ValidationProblemException,
} from './validation-problem.exception';
export { ProblemDetailsFilter, toProblem } from './problem-details.filter';
export { createValidationPipe } from './validation.pipe';
export {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE,
  problemType,
  type FieldError,
  type ProblemDetails,
} from './problem-details';
