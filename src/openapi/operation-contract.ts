import type { OpenAPIObject } from '@nestjs/swagger';
import { ruleOf } from '../common/auth/authorization-table.js';
import type { PrincipalClass } from '../common/auth/principal-class.js';
import type { RouteAuthorization } from '../common/auth/route-authorizations.js';
import { CROWDSEC_PATH } from '../crowdsec/crowdsec-error-shape.js';

/**
 * Completes every operation of the OpenAPI document from the sources of truth the running service
 * uses, so the document cannot drift from them (docs/security.md, "Authorization"; docs/architecture.md,
 * "Errors"):
 * - `security` from the route's row of the authorization table (which credentials reach it, with the
 *   CSRF header on state-changing session requests);
 * - the error responses every route can give (400, 401/403 when it needs credentials, 404 when it has
 *   path parameters, 413/415 when it takes a body, 503 when the database is busy), plus the ones a
 *   controller declares itself (402, 409, 410, 429...), each with the error body's schema and an example.
 */

type Operation = {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  responses: Record<string, { description?: string; content?: unknown }>;
  security?: Array<Record<string, string[]>>;
};

export const CSRF_SCHEME = 'csrf-token';
const SAFE_METHODS = new Set(['get', 'head', 'options']);

/** A stable code and a human message for each error status (the `code` list: docs/architecture.md, "Errors"). */
const ERROR_EXAMPLES: Record<string, { code: string; message: string; description: string }> = {
  '400': { code: 'validation_failed', message: 'ip must be an IPv4 or IPv6 address', description: 'Malformed or invalid input (path, query, headers or body)' },
  '401': { code: 'unauthorized', message: 'Missing or invalid credentials', description: 'No credentials, or credentials that are unknown, expired or revoked' },
  '402': { code: 'plan_restricted', message: 'The free plan does not include range lookups', description: "The organisation's plan does not include this feature" },
  '403': { code: 'forbidden', message: 'Not allowed for this role or organisation', description: 'Valid credentials that this route does not admit (role, scope or organisation)' },
  '404': { code: 'not_found', message: 'Agent not found', description: 'The resource named in the path does not exist (or is not visible to the caller)' },
  '405': { code: 'method_not_allowed', message: 'Method not allowed', description: 'Method not allowed on this path' },
  '409': { code: 'conflict', message: 'The resource is in a state that refuses this change', description: 'Conflict with the current state' },
  '410': { code: 'gone', message: 'The cursor is older than the history kept', description: 'The resource or cursor no longer exists' },
  '413': { code: 'payload_too_large', message: 'Request body is larger than the limit', description: 'Body or list larger than the limit' },
  '415': { code: 'unsupported_media_type', message: 'Unsupported content type', description: 'Content type or encoding the route does not accept' },
  '429': { code: 'rate_limited', message: 'Too many requests, retry after 2 s', description: 'Over a rate limit or quota; Retry-After says when to retry' },
  '503': { code: 'service_unavailable', message: 'The database is busy, retry shortly', description: 'A dependency is unavailable or saturated; Retry-After says when to retry' },
};

const SCHEMES_OF: Array<[(c: PrincipalClass) => boolean, string]> = [
  [(c) => c === 'agent' || c === 'watcher', 'agent-jwt'],
  [(c) => c === 'apiKey', 'api-key'],
  [(c) => c === 'bouncerKey', 'bouncer-key'],
  [(c) => c.startsWith('org:') || c.startsWith('staff:'), 'operator-session'],
  [(c) => c.startsWith('member:'), 'member-session'],
];

/** The credentials that reach a route: one alternative per scheme, with the CSRF header where sessions need it. */
export function securityOf(allow: 'anyone' | readonly PrincipalClass[], method: string): Array<Record<string, string[]>> | undefined {
  if (allow === 'anyone') return undefined;
  const schemes = SCHEMES_OF.filter(([matches]) => allow.some(matches)).map(([, scheme]) => scheme);
  return schemes.map((scheme) =>
    scheme.endsWith('-session') && !SAFE_METHODS.has(method) ? { [scheme]: [], [CSRF_SCHEME]: [] } : { [scheme]: [] },
  );
}

/** Statuses a route can answer whatever its handler does. */
export function genericErrorStatuses(route: { needsCredentials: boolean; hasPathParameters: boolean; takesBody: boolean }): string[] {
  const statuses = ['400', '503'];
  if (route.needsCredentials) statuses.push('401', '403');
  if (route.hasPathParameters) statuses.push('404');
  if (route.takesBody) statuses.push('413', '415');
  return statuses.sort();
}

function errorContent(status: string, crowdsec: boolean): unknown {
  const example = ERROR_EXAMPLES[status];
  if (crowdsec) {
    return { 'application/json': { schema: { $ref: '#/components/schemas/CrowdsecError' }, example: { message: example?.message ?? 'error', errors: '' } } };
  }
  return {
    'application/json': {
      schema: { $ref: '#/components/schemas/ErrorBody' },
      example: { statusCode: Number(status), code: example?.code ?? 'internal_error', message: example?.message ?? 'error', requestId: '6f1c2b7e-3d7a-4c51-9d0e-8a1f4e2b9c10' },
    },
  };
}

const openApiPath = (nestPath: string): string => nestPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function addSchemas(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ErrorBody = {
    type: 'object',
    required: ['statusCode', 'code', 'message', 'requestId'],
    properties: {
      statusCode: { type: 'integer', description: 'The HTTP status, repeated' },
      code: { type: 'string', description: 'Stable machine-readable code (docs/architecture.md, "Errors")' },
      message: { type: 'string', description: 'What went wrong, for a person' },
      requestId: { type: 'string', description: 'Also in the x-request-id header; quote it to support' },
      details: { description: 'Per-field problems for validation errors, when there are any' },
    },
  };
  document.components.schemas.CrowdsecError = {
    type: 'object',
    required: ['message'],
    properties: { message: { type: 'string' }, errors: { type: 'string' } },
    description: "CrowdSec's own error shape, the only one its engine and bouncers parse",
  };
  document.components.securitySchemes ??= {};
  document.components.securitySchemes[CSRF_SCHEME] = {
    type: 'apiKey',
    in: 'header',
    name: 'x-csrf-token',
    description: 'The csrf_token of the sign-in answer (also in a readable cookie); required with a session cookie on POST, PUT, PATCH and DELETE',
  };
  document.components.securitySchemes['bouncer-key'] = {
    type: 'apiKey',
    in: 'header',
    name: 'X-Api-Key',
    description: 'A CrowdSec bouncer key of the organisation (quorum crowdsec bouncer-key create)',
  };
}

export function completeOperations(document: OpenAPIObject, routes: readonly RouteAuthorization[]): void {
  addSchemas(document);
  for (const route of routes) {
    if (!route.permission) continue;
    const rule = ruleOf(route.permission);
    const method = route.method.toLowerCase();
    for (const path of route.paths) {
      const operation = (document.paths[openApiPath(path)] as Record<string, Operation> | undefined)?.[method];
      if (!operation) continue;
      const security = securityOf(rule.allow, method);
      if (security) operation.security = security;
      else delete operation.security;
      const statuses = genericErrorStatuses({
        needsCredentials: rule.allow !== 'anyone' || rule.enforcedBy === 'route',
        hasPathParameters: path.includes(':'),
        takesBody: operation.requestBody !== undefined,
      });
      const declared = Object.keys(operation.responses).filter((status) => Number(status) >= 400);
      const crowdsec = CROWDSEC_PATH.test(path);
      for (const status of new Set([...statuses, ...declared])) {
        const existing = operation.responses[status];
        operation.responses[status] = {
          description: existing?.description ?? ERROR_EXAMPLES[status]?.description ?? 'Error',
          content: errorContent(status, crowdsec),
        };
      }
      operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
}
