import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../config/app-config.js';
import { SIGNATURE_SCHEME_DOC } from './signature-scheme.doc.js';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
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
    .addCookieAuth('quorum_member_session', { type: 'apiKey', in: 'cookie', name: 'quorum_member_session' }, 'member-session')
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
}

export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  if (!config.http.docsEnabled) return;
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
