import type { MemberDto } from './dto/member.dto.js';
import type { MemberRecord } from './members.repository.js';

export function toMemberDto(member: MemberRecord): MemberDto {
  return {
    id: member.id,
    organization_id: member.organizationId,
    email: member.email,
    role: member.role,
    email_verified_at: member.emailVerifiedAt?.toISOString() ?? null,
    last_login_at: member.lastLoginAt?.toISOString() ?? null,
    totp_enabled: member.totpEnabledAt !== null,
    created_at: member.createdAt.toISOString(),
  };
}
