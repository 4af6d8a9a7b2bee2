import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MEMBER_ROLES } from '../../common/auth/principal-class.js';

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export class SignUpDto {
  @ApiProperty({ example: 'Example Networks Ltd' }) @IsString() @MinLength(2) @MaxLength(120) @Matches(/\S/) organization_name!: string;
  @ApiProperty({ example: 'ops@example.net' }) @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MinLength(12) @MaxLength(256) password!: string;
}

export class EmailDto {
  @ApiProperty({ example: 'ops@example.net' }) @IsEmail() @MaxLength(254) email!: string;
}

export class MemberLoginDto {
  @ApiProperty({ example: 'ops@example.net' }) @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) password!: string;
  @ApiPropertyOptional({ example: '123456', description: 'the current code of the authenticator app, when two-factor sign-in is enabled' }) @IsOptional() @Matches(/^\d{6}$/) totp_code?: string;
}

export class TotpCodeDto {
  @ApiProperty({ example: '123456' }) @Matches(/^\d{6}$/) code!: string;
}

export class TotpDisableDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) password!: string;
  @ApiProperty({ example: '123456' }) @Matches(/^\d{6}$/) code!: string;
}

export class TotpSetupDto {
  @ApiProperty({ description: 'base32 secret, shown once' }) secret!: string;
  @ApiProperty({ example: 'otpauth://totp/Quorum:ops%40example.net?secret=...' }) otpauth_uri!: string;
}

export class TokenDto {
  @ApiProperty({ description: 'The token of the emailed link' }) @IsString() @Matches(TOKEN) token!: string;
}

export class TokenPasswordDto {
  @ApiProperty({ description: 'The token of the emailed link' }) @IsString() @Matches(TOKEN) token!: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MinLength(12) @MaxLength(256) password!: string;
}

export class PasswordChangeDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) current_password!: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MinLength(12) @MaxLength(256) new_password!: string;
}

export class InvitationDto {
  @ApiProperty({ example: 'dev@example.net' }) @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) @IsIn(MEMBER_ROLES) role!: (typeof MEMBER_ROLES)[number];
}

export class RoleDto {
  @ApiProperty({ enum: MEMBER_ROLES }) @IsIn(MEMBER_ROLES) role!: (typeof MEMBER_ROLES)[number];
}

export class MemberDto {
  @ApiProperty() id!: string;
  @ApiProperty() organization_id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role!: string;
  @ApiProperty({ nullable: true, type: String }) email_verified_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) last_login_at!: string | null;
  @ApiProperty({ description: 'two-factor sign-in (TOTP) is on' }) totp_enabled!: boolean;
  @ApiProperty() created_at!: string;
}

export class PortalOrganizationDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['customer', 'community', 'internal'], description: 'community organisations run agents' }) kind!: string;
  @ApiProperty({ example: 'free', description: 'the plan whose limits apply now' }) plan_id!: string;
}

export class PortalMeDto extends MemberDto {
  @ApiProperty({ type: PortalOrganizationDto }) organization!: PortalOrganizationDto;
}

export class OutboxMessageDto {
  @ApiProperty() id!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty() recipient!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() text!: string;
}

export class OutboxDto {
  @ApiProperty({ type: [OutboxMessageDto], description: 'the 50 latest messages, newest first' }) messages!: OutboxMessageDto[];
}

export class MemberListDto {
  @ApiProperty({ type: [MemberDto] }) members!: MemberDto[];
}

export class SignUpResultDto {
  @ApiProperty() organization_id!: string;
  @ApiProperty({ type: MemberDto }) member!: MemberDto;
  @ApiProperty({ description: 'false when the verification email could not be handed to the mail server (ask for a new one)' }) email_sent!: boolean;
}

export class MemberSessionDto {
  @ApiProperty({ type: MemberDto }) member!: MemberDto;
  @ApiProperty({ description: 'Send back in x-csrf-token on every state-changing request' }) csrf_token!: string;
  @ApiProperty() expires_at!: string;
}

export class PendingInvitationDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role!: string;
  @ApiProperty({ example: 'member:1b7c...' }) invited_by!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty() expires_at!: string;
}

export class PendingInvitationListDto {
  @ApiProperty({ type: [PendingInvitationDto] }) invitations!: PendingInvitationDto[];
}

export class InvitationResultDto {
  @ApiProperty() email!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role!: string;
  @ApiProperty() expires_at!: string;
  @ApiProperty() email_sent!: boolean;
}

export class AcceptedDto {
  @ApiPropertyOptional({ description: 'Always true: the answer is the same whether or not the account exists' }) accepted!: boolean;
}
