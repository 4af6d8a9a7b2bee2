import { Module } from '@nestjs/common';
import { LookupModule } from '../lookup/lookup.module.js';
import { DnsblAnswerer } from './dnsbl-answerer.js';
import { DnsblServer } from './dnsbl.server.js';

/** The lookup answers as a DNSBL zone over UDP (docs/lookup.md), off unless QUORUM_DNSBL_PORT is set. */
@Module({
  imports: [LookupModule],
  providers: [DnsblAnswerer, DnsblServer],
  exports: [DnsblServer],
})
export class DnsblModule {}
