import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  InternalServerErrorException,
  type NestInterceptor,
  RequestMethod,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { map, type Observable } from 'rxjs';
import { passedTheGate } from './gate';

export const DISCLOSURE_ROUTE_KEY = 'ketenlink:disclosure-route';

export type RouteMark =
  { readonly kind: 'gated' } | { readonly kind: 'metadata-only'; readonly reason: string };

/** Refuses (500, nothing returned) an answer of a gated route that did not pass the gate. */
@Injectable()
export class GatedAnswerInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        if (body !== undefined && !passedTheGate(body)) {
          throw new InternalServerErrorException('answer did not pass the disclosure gate');
        }
        return body;
      }),
    );
  }
}

/**
 * This route returns client data, and only through the DisclosureGate: its answer must be a
 * value the gate returned (or gate.collect() of gated items), checked on every call.
 */
export const DisclosesClientData = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(DISCLOSURE_ROUTE_KEY, { kind: 'gated' } satisfies RouteMark),
    UseInterceptors(GatedAnswerInterceptor),
  );

/** This route returns no client data (ids, statuses, configuration); the reason is reviewed. */
export const MetadataOnly = (reason: string): MethodDecorator =>
  SetMetadata(DISCLOSURE_ROUTE_KEY, { kind: 'metadata-only', reason } satisfies RouteMark);

export interface RouteInfo {
  readonly method: string;
  readonly path: string;
  readonly controller: string;
  readonly handler: string;
  readonly mark: RouteMark | undefined;
}

type ModuleRef = unknown;

/**
 * Every HTTP route of a Nest application module, read from the same metadata Nest's router
 * registers (module imports, dynamic modules included; controllers; @Get/@Post … on methods).
 */
export function routesOf(rootModule: ModuleRef): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const seen = new Set<unknown>();
  const controllers = new Set<new (...args: never[]) => unknown>();
  const visit = (m: ModuleRef): void => {
    if (!m || seen.has(m)) return;
    seen.add(m);
    if (typeof m === 'function') {
      for (const c of (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, m) ?? []) as never[]) {
        controllers.add(c);
      }
      for (const i of (Reflect.getMetadata(MODULE_METADATA.IMPORTS, m) ?? []) as unknown[])
        visit(i);
      return;
    }
    if (typeof m === 'object' && 'module' in m) {
      const d = m as { module: unknown; controllers?: never[]; imports?: unknown[] };
      for (const c of d.controllers ?? []) controllers.add(c);
      for (const i of d.imports ?? []) visit(i);
      visit(d.module);
    }
  };
  visit(rootModule);
  for (const controller of controllers) {
    const base = paths(Reflect.getMetadata(PATH_METADATA, controller));
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of methodNames(proto)) {
      const fn = proto[name];
      if (typeof fn !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      const own = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
      if (method === undefined || own === undefined) continue; // not a route handler
      for (const b of base) {
        for (const p of paths(own)) {
          routes.push({
            method: RequestMethod[method],
            path: `/${[b, p]
              .map((s) => s.replace(/^\/+|\/+$/g, ''))
              .filter(Boolean)
              .join('/')}`,
            controller: controller.name,
            handler: name,
            mark: Reflect.getMetadata(DISCLOSURE_ROUTE_KEY, fn) as RouteMark | undefined,
          });
        }
      }
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

function paths(value: unknown): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function methodNames(proto: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) if (n !== 'constructor') names.add(n);
  }
  return [...names];
}

/**
 * The routes every service gets from @ketenlink/service-runtime (health, metrics): metadata only,
 * with the reason. A service's route test spreads this into its allow-list.
 */
export const RUNTIME_METADATA_ROUTES: Readonly<Record<string, string>> = {
  'GET /health/live': 'liveness probe: status only, public',
  'GET /health/ready': 'readiness probe: dependency status only, public',
  'GET /metrics': 'Prometheus metrics: counters without client data',
};

/**
 * The routes that break the rule: neither gated (@DisclosesClientData) nor metadata-only with a
 * reason (@MetadataOnly, or the allow-list `"GET /path": "reason"` for routes of shared modules
 * such as health), plus allow-list entries that match no route (stale).
 */
export function ungatedRoutes(
  routes: readonly RouteInfo[],
  allow: Readonly<Record<string, string>> = {},
): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    keys.add(key);
    if (r.mark?.kind === 'gated') continue;
    if (r.mark?.kind === 'metadata-only' && r.mark.reason.trim().length >= 10) continue;
    if ((allow[key] ?? '').trim().length >= 10) continue;
    problems.push(
      `${key} (${r.controller}.${r.handler}) is neither @DisclosesClientData() nor @MetadataOnly(reason)`,
    );
  }
  for (const key of Object.keys(allow)) {
    if (!keys.has(key)) problems.push(`allow-list entry ${key} matches no route`);
  }
  return problems;
}
