import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { OneCardAppDefinition } from '@onecard/kernel';

/**
 * Serves the OpenAPI document at /docs. DTO schemas come from their class-validator rules,
 * so the document cannot drift from what the validation pipe enforces.
 */
export function setupDocs(app: INestApplication, definition: OneCardAppDefinition): void {
  const config = new DocumentBuilder()
    .setTitle(`OneCard ${definition.name}`)
    .setDescription(definition.title)
    .setVersion('1.0')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' });
  document.components = { ...document.components, schemas: { ...(document.components?.schemas ?? {}), ...(schemas as object) } };
  SwaggerModule.setup('docs', app, document);
}
