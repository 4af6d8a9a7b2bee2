import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

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
