import type { INestApplication, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { IS_PUBLIC_KEY, ROLES_KEY } from '@ketenlink/auth';
import { getMetadataStorage } from 'class-validator';

type Operation = {
  operationId?: string;
  description?: string;
  requestBody?: unknown;
  parameters?: Array<{ name: string; in: string; [k: string]: unknown }>;
  responses: Record<string, unknown>;
  [extension: `x-${string}`]: unknown;
};

const PROBLEM_RESPONSE = (description: string) => ({
  description,
  content: {
    'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
  },
});

/**
 * Completes every operation of the document from the routes themselves, so no controller can
 * forget it (docs/adr/0016-http-edge.md):
 *   `x-roles`   the roles of @Roles (method over class), or `x-public: true`; also in the text;
 *   responses   every 4xx the edge and the domain mapper can answer, as problem+json;
 *   parameters  every field of a `@Query()` DTO (from its class-validator metadata).
 */
export function completeOperations(app: INestApplication, document: OpenAPIObject): void {
  const byId = new Map<string, { op: Operation; method: string; path: string }>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      if (op && typeof op === 'object' && 'responses' in op && op.operationId) {
        byId.set(op.operationId, { op, method, path });
      }
    }
  }
  for (const controller of controllersOf(app)) {
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (typeof handler !== 'function' || name === 'constructor') continue;
      if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const entry = byId.get(`${controller.name}_${name}`);
      if (!entry) continue;
      const isPublic = Boolean(
        Reflect.getMetadata(IS_PUBLIC_KEY, handler) ??
        Reflect.getMetadata(IS_PUBLIC_KEY, controller),
      );
      const roles = (Reflect.getMetadata(ROLES_KEY, handler) ??
        Reflect.getMetadata(ROLES_KEY, controller)) as string[] | undefined;
      annotateAccess(entry.op, isPublic, roles);
      addQueryParameters(entry.op, controller, name);
      addProblemResponses(entry.op, entry.method, entry.path, isPublic, Boolean(roles?.length));
    }
  }
}

function controllersOf(app: INestApplication): Type<unknown>[] {
  const out = new Set<Type<unknown>>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      if (wrapper.metatype) out.add(wrapper.metatype as Type<unknown>);
    }
  }
  return [...out];
}

function annotateAccess(op: Operation, isPublic: boolean, roles: string[] | undefined): void {
  if (isPublic) {
    op['x-public'] = true;
    op.description = join(op.description, 'Public: no token needed.');
    return;
  }
  op['x-roles'] = roles ?? [];
  op.description = join(
    op.description,
    roles?.length ? `Roles allowed: ${roles.join(', ')}.` : 'Any authenticated caller.',
  );
}

const join = (a: string | undefined, b: string) => (a ? `${a}\n\n${b}` : b);

function addQueryParameters(op: Operation, controller: Type<unknown>, method: string): void {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, method) ??
    []) as unknown[];
  op.parameters ??= [];
  const listed = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY) continue;
    if (typeof arg.data === 'string') {
      if (!listed.has(arg.data)) {
        op.parameters.push({
          name: arg.data,
          in: 'query',
          required: false,
          schema: { type: 'string' },
        });
        listed.add(arg.data);
      }
      continue;
    }
    const dto = types[arg.index];
    if (typeof dto !== 'function') continue;
    const metas = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
    const byProperty = new Map<string, { optional: boolean; type: string }>();
    for (const m of metas) {
      const p = byProperty.get(m.propertyName) ?? { optional: false, type: 'string' };
      if (m.type === 'conditionalValidation') p.optional = true;
      if (m.name === 'isInt') p.type = 'integer';
      else if (m.name === 'isNumber' && p.type === 'string') p.type = 'number';
      else if (m.name === 'isBoolean') p.type = 'boolean';
      byProperty.set(m.propertyName, p);
    }
    // Swagger lists unknown `@Query() dto` as one object parameter named after nothing useful.
    op.parameters = op.parameters.filter(
      (p) => !(p.in === 'query' && !byProperty.has(p.name) && p.name === ''),
    );
    for (const [name, p] of byProperty) {
      if (listed.has(name)) continue;
      op.parameters.push({ name, in: 'query', required: !p.optional, schema: { type: p.type } });
      listed.add(name);
    }
  }
}

function addProblemResponses(
  op: Operation,
  method: string,
  path: string,
  isPublic: boolean,
  hasRoles: boolean,
): void {
  const add = (status: number, description: string) => {
    op.responses[status] ??= PROBLEM_RESPONSE(description);
  };
  const hasBody = Boolean(op.requestBody) || ['post', 'put', 'patch'].includes(method);
  const hasInput = hasBody || path.includes('{') || Boolean(op.parameters?.length);
  if (hasInput)
    add(400, 'Malformed or invalid request (validation-error, malformed-json, json-too-deep)');
  if (!isPublic) add(401, 'No valid bearer token');
  if (hasRoles) add(403, 'None of the allowed roles, or not allowed by policy');
  if (path.includes('{')) add(404, 'Not found, or not visible to your organisation');
  if (hasBody) {
    add(409, 'Refused by the current state or a business rule');
    add(413, 'Body larger than the limit');
    add(415, 'Body not application/json in UTF-8');
    add(422, 'Well-formed but inconsistent with the domain rules');
  }
}
