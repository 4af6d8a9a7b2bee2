import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { DELISTING_STATUSES } from '../delisting/delisting.repository.js';

export class CreateDelistingDto {
  @ApiProperty({ example: '198.51.100.23' })
  @IsString()
  @MaxLength(64)
  ip!: string;

  @ApiPropertyOptional({ description: 'Why the listing is wrong, in your words (shown to the reviewing operator)', example: 'Home connection; the attack came from a compromised device, now cleaned' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ description: 'An email address to answer you; deleted when the request is decided', example: 'holder@example.net' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contact?: string;
}

export class AgentProofDto {
  @ApiProperty({ description: 'The token of the delisting request, sent by an agent running on the listed IP' })
  @IsString()
  @MaxLength(100)
  token!: string;
}

export class ReviewRequestDto {
  @ApiProperty({ description: 'The token of the delisting request' })
  @IsString()
  @MaxLength(100)
  token!: string;

  @ApiProperty({ description: 'Why the listing is wrong and why control cannot be shown (e.g. carrier NAT)', example: 'Mobile network behind carrier NAT: this address is shared by thousands of subscribers' })
  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({ description: 'An email address to answer you; deleted when the request is decided', example: 'holder@example.net' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contact?: string;
}

export class VerifyDelistingDto {
  @ApiProperty({ description: 'The token returned at creation, now served at the proof URL' })
  @IsString()
  @MaxLength(100)
  token!: string;
}

export class ReviewDelistingDto {
  @ApiProperty({ enum: ['upheld', 'rejected'] })
  @IsIn(['upheld', 'rejected'])
  outcome!: 'upheld' | 'rejected';

  @ApiProperty({ description: 'Written to the audit log' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  justification!: string;
}

export class DelistingDto {
  @ApiProperty() id!: string;
  @ApiProperty() ip!: string;
  @ApiProperty({ enum: DELISTING_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String, enum: ['http', 'https', 'agent', 'review'], description: 'How control was shown, or review for a reasoned request' })
  proof_method!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) verified_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) suppressed_until!: string | null;
  @ApiProperty({ nullable: true, type: String }) decided_at!: string | null;
}

class ServeFileDto {
  @ApiProperty({ type: [String], description: 'Serve the content at one of these (port 80, or 443 with any certificate)' }) urls!: string[];
  @ApiProperty() content!: string;
  @ApiProperty({ example: 'text/plain' }) content_type!: string;
  @ApiProperty() then!: string;
}

class AgentProofStepDto {
  @ApiProperty() url!: string;
  @ApiProperty({ type: AgentProofDto }) body!: AgentProofDto;
  @ApiProperty() how!: string;
}

class ReasonedReviewStepDto {
  @ApiProperty() url!: string;
  @ApiProperty() how!: string;
}

export class ProofInstructionsDto {
  @ApiProperty({ description: 'The token (and the request, if still unproven) is deleted after this' }) token_expires_at!: string;
  @ApiProperty({ type: ServeFileDto }) serve_file!: ServeFileDto;
  @ApiProperty({ type: AgentProofStepDto }) from_agent!: AgentProofStepDto;
  @ApiProperty({ type: ReasonedReviewStepDto }) reasoned_review!: ReasonedReviewStepDto;
}

export class CreatedDelistingDto extends DelistingDto {
  @ApiProperty({ description: 'Serve exactly this text at proof_url (or see proof for the other ways), then call verify' }) token!: string;
  @ApiProperty({ description: 'The HTTP proof URL (also in proof.serve_file.urls, with the HTTPS one)' }) proof_url!: string;
  @ApiProperty({ type: ProofInstructionsDto, description: 'Every way to show control of the IP, with exact values' }) proof!: ProofInstructionsDto;
}

/** What operators see of a request (the holder's reason and contact, while it is open). */
export class ReviewableDelistingDto extends DelistingDto {
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Deleted when the request is decided' }) contact!: string | null;
  @ApiProperty({ nullable: true, type: String }) review_requested_at!: string | null;
}

export class ExplainDto {
  @ApiProperty() ip!: string;
  @ApiProperty() listed!: boolean;
  @ApiProperty({ nullable: true, type: String }) listed_until!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['consensus', 'honeypot'] }) reason!: string | null;
  @ApiProperty({ enum: ['0', '1-2', '3-5', '6-20', '>20'] }) reporters!: string;
  @ApiProperty({ type: [String] }) scenario_classes!: string[];
  @ApiProperty({ type: [String], description: 'The scenarios in plain words (the same words as lookup answers)', example: ['SSH brute force'] })
  behaviours!: string[];
  @ApiProperty({ nullable: true, type: String }) first_seen!: string | null;
  @ApiProperty({ nullable: true, type: String }) last_seen!: string | null;
  @ApiProperty({ description: "Whether Quorum's own sensors saw the IP" }) seen_by_sensors!: boolean;
  @ApiProperty({
    nullable: true,
    type: [String],
    description: 'Unlisted IPs: what the listing rule still lacks, in counts only (never who reported); null when listed',
  })
  missing!: string[] | null;
  @ApiPropertyOptional({ description: 'Operators only' }) score?: number;
  @ApiPropertyOptional({ description: 'Operators only' }) asns?: number;
  @ApiPropertyOptional({ description: 'Operators only' }) established?: number;
  @ApiPropertyOptional({ type: [String], description: 'Operators only: voter pseudonyms of the latest listing' }) voters?: string[];
}
