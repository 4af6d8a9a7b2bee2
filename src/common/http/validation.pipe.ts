import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-codes.js';

export interface FieldError {
  field: string;
  messages: string[];
}

function flatten(errors: readonly ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      const messages = Object.entries(error.constraints).map(([rule, text]) =>
        rule === 'whitelistValidation' ? `unknown field "${field}"` : text,
      );
      out.push({ field, messages });
    }
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out;
}

export function validationErrorFromFields(fields: FieldError[]): DomainError {
  const message = fields.map((f) => `${f.field}: ${f.messages.join(', ')}`).join('; ') || 'Invalid request';
  return new DomainError(ErrorCode.ValidationFailed, message, fields);
}

/** Global pipe: DTOs are transformed, unknown fields rejected with a per-field message. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationErrorFromFields(flatten(errors)),
  });
}
