import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class QuarantineReleaseBodyDto {
  @ApiProperty({ minLength: 10, maxLength: 1000, description: 'Why the agent is released (written to the audit log and shown in the console)' })
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  reason!: string;
}

export class QuarantineReleaseDto {
  @ApiProperty() agent_id!: string;
  @ApiProperty({ enum: ['pending', 'released', 'not_quarantined'], description: 'pending until the next scoring run applies it' }) status!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'operator:<id>' }) requested_by!: string;
  @ApiProperty() requested_at!: string;
  @ApiProperty({ nullable: true, type: String }) applied_at!: string | null;
}
