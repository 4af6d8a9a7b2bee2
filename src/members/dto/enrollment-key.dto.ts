import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreateEnrollmentKeyDto {
  @ApiProperty({ example: 'web servers' }) @IsString() @MinLength(1) @MaxLength(100) @Matches(/\S/) name!: string;
  @ApiPropertyOptional({ example: 30, description: 'days until the key expires (default: never)' }) @IsOptional() @IsInt() @Min(1) @Max(3650) ttl_days?: number;
}

export class EnrollmentKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'qek_AbCdEfGh' }) prefix!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) expires_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) revoked_at!: string | null;
}

export class CreatedEnrollmentKeyDto extends EnrollmentKeyDto {
  @ApiProperty({ description: 'the key, shown in this answer only (agents enroll with it)' }) key!: string;
}

export class EnrollmentKeyListDto {
  @ApiProperty({ type: [EnrollmentKeyDto] }) enrollment_keys!: EnrollmentKeyDto[];
}
