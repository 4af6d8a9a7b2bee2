import type { INestApplication } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { routeAuthorizations } from '../common/auth/route-authorizations.js';
import type { AppConfig } from '../config/app-config.js';
import { completeOperations } from './operation-contract.js';
import { SIGNATURE_SCHEME_DOC } from './signature-scheme.doc.js';

/** Every tag an operation may carry, with what it groups (the openapi e2e test refuses an undeclared tag). */
export const API_TAGS: ReadonlyArray<[name: string, description: string]> = [
  ['signals', 'Signed batches of attack signals pushed by Quorum agents (docs/signing.md)'],
  ['agents', 'Enrollment, sign-in and key rotation of agents; an organisation\'s agents and enrollment keys'],
  ['blocklist', 'The community blocklist: full downloads in firewall formats and incremental changes'],
  ['lookup', 'Paid IP and range reputation lookups, API keys and usage (docs/lookup.md)'],
  ['consensus', 'Why an IP is (not) listed, and delisting requests by the holder of an address (docs/consensus.md)'],
  ['crowdsec', 'CrowdSec Central API and bouncer stream, wire-compatible with the real engine (docs/crowdsec.md)'],
  ['portal', 'Customer members: sign-up, sign-in, two-factor, members and invitations (docs/customers.md)'],
  ['billing', 'Plans and prices, Stripe Checkout and billing portal, invoices, webhooks'],
  ['privacy', 'Data-subject rights: IP access and erasure requests, organisation erasure (docs/privacy.md)'],
  ['admin', 'Staff operators: sign-in, dashboard, customers and plan definitions'],
  ['operations', 'Liveness, readiness and Prometheus metrics'],
];

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Quorum API')
    .setDescription(
      'Community IP reputation: signed signal ingestion from agents, consensus listings, blocklists, ' +
        'paid IP lookups.\n\nErrors always use `{statusCode, code, message, requestId}` (CrowdSec-compatible ' +
        'routes use `{message, errors}`).\n\n' +
        SIGNATURE_SCHEME_DOC,
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'agent-jwt')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
    .addCookieAuth('quorum_session', { type: 'apiKey', in: 'cookie', name: 'quorum_session' }, 'operator-session')
    .addCookieAuth('quorum_member_session', { type: 'apiKey', in: 'cookie', name: 'quorum_member_session' }, 'member-session');
  for (const [name, description] of API_TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  // Built here rather than injected: the document is also rendered from a preview app (`npm run openapi`)
  // whose providers are never instantiated; the module container is there either way.
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  completeOperations(document, routeAuthorizations(discovery, new MetadataScanner(), new Reflector()));
  return document;
}

export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  if (!config.http.docsEnabled) return;
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
