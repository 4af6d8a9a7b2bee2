import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { auditActor } from '../common/auth/principal-class.js';
import { InvitationDto, InvitationResultDto, MemberDto, MemberListDto, PendingInvitationListDto, RoleDto } from './dto/member.dto.js';
import { MemberAuthService } from './member-auth.service.js';
import { toMemberDto } from './member.mapper.js';

const roleOf = (principal: Principal): { role: string; memberId: string | null; actor: string } => ({
  role: principal.kind === 'member' || principal.kind === 'operator' ? principal.role : '',
  memberId: principal.kind === 'member' ? principal.memberId : null,
  actor: auditActor(principal),
});

/** The people of a customer organisation (rows `members.*` of src/common/auth/authorization-table.ts). */
@ApiTags('portal')
@Controller('v1/organizations/:id/members')
export class MembersController {
  constructor(private readonly auth: MemberAuthService) {}

  @Get()
  @Auth('members.list')
  @ApiOperation({
    summary: "The organisation's members and their roles",
    description: 'Every member of the organisation (any role) reads its members: email, role, two-factor on or off, last sign-in. Staff and other organisations never see them here; another organisation answers 403.',
  })
  @ApiOkResponse({ type: MemberListDto })
  async list(@Param('id', ParseUUIDPipe) id: string): Promise<MemberListDto> {
    return { members: (await this.auth.list(id)).map(toMemberDto) };
  }

  @Post('invitations')
  @Auth('members.invite')
  @ApiOperation({
    summary: 'Invite a person with a role (emailed link, valid 7 days); only owners grant owner',
    description: 'Owners and admins of the organisation: emails an invitation link (valid 7 days) for the role; the person chooses a password with POST /v1/portal/invitations/accept. Only an owner invites an owner (403). At most 50 invitations a day per organisation (429); 409 email_taken when the address has an account. Audited.',
  })
  @ApiCreatedResponse({ type: InvitationResultDto })
  async invite(@Param('id', ParseUUIDPipe) id: string, @Body() body: InvitationDto, @CurrentPrincipal() principal: Principal): Promise<InvitationResultDto> {
    const result = await this.auth.invite(id, body.email, body.role, roleOf(principal));
    return { email: body.email.trim().toLowerCase(), role: body.role, expires_at: result.expiresAt.toISOString(), email_sent: result.emailSent };
  }

  @Get('invitations')
  @Auth('members.list')
  @ApiOperation({
    summary: 'Invitations not yet accepted (nor revoked, nor expired)',
    description: 'Every member of the organisation: the invitations still pending (not accepted, withdrawn or expired), with their role, inviter and expiry.',
  })
  @ApiOkResponse({ type: PendingInvitationListDto })
  async invitations(@Param('id', ParseUUIDPipe) id: string): Promise<PendingInvitationListDto> {
    const pending = await this.auth.pendingInvitations(id);
    return {
      invitations: pending.map((i) => ({ id: i.id, email: i.email, role: i.role ?? 'viewer', invited_by: i.createdBy, created_at: i.createdAt.toISOString(), expires_at: i.expiresAt.toISOString() })),
    };
  }

  @Delete('invitations/:invitationId')
  @Auth('members.invite')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Withdraw an invitation: its link stops working',
    description: 'Owners and admins of the organisation: the invitation is revoked at once, so its emailed link answers 400 from then on. Audited.',
  })
  @ApiNoContentResponse()
  async revokeInvitation(@Param('id', ParseUUIDPipe) id: string, @Param('invitationId', ParseUUIDPipe) invitationId: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.revokeInvitation(id, invitationId, auditActor(principal));
  }

  @Put(':memberId/role')
  @Auth('members.setRole')
  @ApiOperation({
    summary: "Change a member's role (at its next request); only owners grant or take ownership, the last owner stays",
    description: 'Owners and admins of the organisation: the member has the new role from its next request. Only an owner grants or takes ownership (403); the last owner keeps its role (409 last_owner). Audited.',
  })
  @ApiOkResponse({ type: MemberDto })
  async setRole(@Param('id', ParseUUIDPipe) id: string, @Param('memberId', ParseUUIDPipe) memberId: string, @Body() body: RoleDto, @CurrentPrincipal() principal: Principal): Promise<MemberDto> {
    return toMemberDto(await this.auth.setRole(id, memberId, body.role, roleOf(principal)));
  }

  @Delete(':memberId')
  @Auth('members.remove')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a member (its sessions end); the last owner stays',
    description: 'Owners and admins of the organisation: the member and its sessions are deleted at once. Only an owner removes an owner (403); the last owner stays (409 last_owner). Audited.',
  })
  @ApiNoContentResponse()
  async remove(@Param('id', ParseUUIDPipe) id: string, @Param('memberId', ParseUUIDPipe) memberId: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.remove(id, memberId, roleOf(principal));
  }
}
