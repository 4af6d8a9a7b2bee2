import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { AUTH_METADATA } from './auth.decorator.js';
import { isPermission, type Permission } from './authorization-table.js';

/** One route handler of the application and the row of the authorization table it names. */
export interface RouteAuthorization {
  controller: string;
  handler: string;
  method: string;
  /** Full paths in Nest's syntax (`/v1/agents/:id/revoke`); several when the controller has several prefixes. */
  paths: string[];
  /** Undefined when the route names no row (or an unknown one). */
  permission: Permission | undefined;
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [typeof value === 'string' ? value : '']);

function join(prefix: string, path: string): string {
  const joined = `/${[prefix, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
  return joined;
}

/** Every controller route with its authorization row (used by the boot check and the matrix test). */
export function routeAuthorizations(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector): RouteAuthorization[] {
  const routes: RouteAuthorization[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!controller?.prototype) continue;
    const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller));
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
      if (method === undefined || path === undefined) continue;
      const permission = reflector.getAllAndOverride<unknown>(AUTH_METADATA, [handler as () => unknown, controller]);
      routes.push({
        controller: controller.name,
        handler: name,
        method: RequestMethod[method],
        paths: prefixes.flatMap((prefix) => asList(path).map((p) => join(prefix, p))),
        permission: isPermission(permission) ? permission : undefined,
      });
    }
  }
  return routes;
}
