import type { FieldProblem } from '../signals/signal-batch.parser.js';

/** Hand-written checks for CAPI request bodies: required fields only, unknown fields accepted. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface WatcherCredentials {
  machineId: string;
  password: string;
  registrationToken?: string;
}

const MACHINE_ID = /^[A-Za-z0-9]{8,64}$/;

export function parseCredentials(body: unknown): WatcherCredentials | { problems: FieldProblem[] } {
  if (!isObject(body)) return { problems: [{ field: 'body', messages: ['body must be a JSON object'] }] };
  const problems: FieldProblem[] = [];
  if (typeof body.machine_id !== 'string' || !MACHINE_ID.test(body.machine_id)) {
    problems.push({ field: 'machine_id', messages: ['machine_id must be 8-64 characters of A-Z a-z 0-9'] });
  }
  if (typeof body.password !== 'string' || body.password.length < 8 || body.password.length > 256) {
    problems.push({ field: 'password', messages: ['password must be a string of 8-256 characters'] });
  }
  const token = body.registration_token;
  if (token !== undefined && token !== null && typeof token !== 'string') problems.push({ field: 'registration_token', messages: ['registration_token must be a string'] });
  if (body.scenarios !== undefined && body.scenarios !== null && (!Array.isArray(body.scenarios) || body.scenarios.some((s) => typeof s !== 'string'))) {
    problems.push({ field: 'scenarios', messages: ['scenarios must be an array of strings'] });
  }
  if (problems.length > 0) return { problems };
  return {
    machineId: body.machine_id as string,
    password: body.password as string,
    ...(typeof token === 'string' && token !== '' ? { registrationToken: token } : {}),
  };
}

export function parseEnroll(body: unknown): { attachmentKey: string; overwrite: boolean } | { problems: FieldProblem[] } {
  if (!isObject(body)) return { problems: [{ field: 'body', messages: ['body must be a JSON object'] }] };
  const problems: FieldProblem[] = [];
  if (typeof body.attachment_key !== 'string' || body.attachment_key.length === 0 || body.attachment_key.length > 200) {
    problems.push({ field: 'attachment_key', messages: ['attachment_key is required (an enrollment key of your organisation)'] });
  }
  if (body.overwrite !== undefined && typeof body.overwrite !== 'boolean') problems.push({ field: 'overwrite', messages: ['overwrite must be a boolean'] });
  if (body.tags !== undefined && body.tags !== null && !Array.isArray(body.tags)) problems.push({ field: 'tags', messages: ['tags must be an array'] });
  if (problems.length > 0) return { problems };
  return { attachmentKey: body.attachment_key as string, overwrite: body.overwrite === true };
}

/** `POST /v3/decisions/delete`: an array of decision UUIDs. */
export function parseDecisionUuids(body: unknown): string[] | { problems: FieldProblem[] } {
  if (!Array.isArray(body) || body.some((v) => typeof v !== 'string' || v.length > 64)) {
    return { problems: [{ field: 'body', messages: ['body must be an array of decision uuid strings'] }] };
  }
  return body as string[];
}

/** Usage metrics we can never use (422 tells the engine not to resend them). */
export function usageMetricsProblem(body: unknown): string | null {
  if (!isObject(body)) return 'body must be a JSON object';
  for (const name of ['log_processors', 'remediation_components']) {
    const value = body[name];
    if (value !== undefined && value !== null && !Array.isArray(value)) return `${name} must be an array`;
  }
  if (body.lapi !== undefined && body.lapi !== null && !isObject(body.lapi)) return 'lapi must be an object';
  return null;
}
