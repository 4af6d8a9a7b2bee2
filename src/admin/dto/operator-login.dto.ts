import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class OperatorLoginDto {
  @ApiProperty({ example: 'ops@example.net' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password!: string;

  @ApiPropertyOptional({ example: '123456', description: 'the current code of the authenticator app, once two-factor sign-in is enabled (always, for staff operators in production)' })
  @IsOptional()
  @Matches(/^\d{6}$/)
  totp_code?: string;
}

/** Two-factor enrolment needs no session (a staff operator in production has none before it): the password proves the account. */
export class OperatorTotpSetupDto {
  @ApiProperty({ example: 'ops@example.net' }) @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) password!: string;
}

export class OperatorTotpEnableDto extends OperatorTotpSetupDto {
  @ApiProperty({ example: '123456', description: 'a code of the new secret' }) @Matches(/^\d{6}$/) code!: string;
}

export class OperatorDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ['admin', 'billing', 'support'] }) role!: string;
}

export class OperatorSessionDto {
  @ApiProperty({ type: OperatorDto }) operator!: OperatorDto;
  @ApiProperty({ description: 'Send back in x-csrf-token on every state-changing request' }) csrf_token!: string;
  @ApiProperty() expires_at!: string;
}
