import type { AgentRecord } from '../agent.types.js';
import type { AgentDto } from './enroll-agent.dto.js';

export function toAgentDto(agent: AgentRecord): AgentDto {
  return {
    id: agent.id,
    organization_id: agent.organizationId,
    name: agent.name,
    kind: agent.kind,
    status: agent.status,
    tags: agent.tags,
    scenarios: agent.scenarios,
    key_version: agent.keyVersion,
    asn: agent.asn,
    country: agent.country,
    enrolled_at: agent.enrolledAt.toISOString(),
    last_login_at: agent.lastLoginAt?.toISOString() ?? null,
    last_signal_at: agent.lastSignalAt?.toISOString() ?? null,
  };
}
