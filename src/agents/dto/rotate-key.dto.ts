import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** Signed by the OLD key over `"quorum-rotate-v1\n" + agent_id + "\n" + public_key + "\n" + sent_at`. */
export class RotateKeyDto {
  @ApiProperty({ description: 'The new Ed25519 public key (base64 raw or PEM)' })
  @IsString()
  @MaxLength(512)
  public_key!: string;

  @ApiProperty({ description: 'RFC 3339 time of signing (±5 min)' })
  @IsString()
  @MaxLength(40)
  sent_at!: string;

  @ApiProperty({ description: 'base64 Ed25519 signature by the current key' })
  @IsString()
  @MaxLength(100)
  signature!: string;
}

export class KeyVersionDto {
  @ApiProperty() agent_id!: string;
  @ApiProperty() key_version!: number;
}
