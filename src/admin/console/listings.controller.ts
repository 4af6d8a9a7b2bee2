import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { BlocklistVersionsDto, BlocklistVersionsQueryDto, ListingDetailDto, ListingsPageDto, ListingsQueryDto } from './listings.dto.js';
import { ListingsService } from './listings.service.js';

/** The console's listings page: IPs and ranges, one IP's explanation, the blocklist's versions (docs/operators.md). */
@ApiTags('admin')
@Controller('v1/admin/console')
export class ListingsController {
  constructor(private readonly listings: ListingsService) {}

  @Get('listings')
  @Auth('console.listings')
  @ApiOperation({
    summary: 'Listings: the state of an IP, or of every scored IP of a range (at most a /16 or a /48), paged',
    description:
      'Staff operators (admin, support): for an address, its state whether known or not; for a CIDR range, the keys consensus has a score ' +
      'for, in address order (IPv6 is scored per /64), listed or not, with score, reporters, networks, since and until. Wider ranges are refused (400).',
  })
  @ApiResponse({ status: 400, description: 'Not an address or range, or a range wider than a /16 (IPv4) or a /48 (IPv6)' })
  @ApiOkResponse({ type: ListingsPageDto })
  search(@Query() query: ListingsQueryDto): Promise<ListingsPageDto> {
    return this.listings.search(query);
  }

  @Get('listings/:ip')
  @Auth('console.listings')
  @ApiOperation({
    summary: 'The operator explanation of one IP: state, voters as pseudonyms with their evidence, explanations, timeline',
    description:
      'Staff operators (admin, support): the IP\'s state; every reporter (pseudonym, trust band) that reported it within the vote window with ' +
      'its signals per scenario; the explanations written when it was listed; its listings and delistings from the kept blocklist history.',
  })
  @ApiResponse({ status: 400, description: 'Not an IPv4 or IPv6 address' })
  @ApiOkResponse({ type: ListingDetailDto })
  detail(@Param('ip') ip: string): Promise<ListingDetailDto> {
    return this.listings.detail(ip);
  }

  @Get('blocklist-versions')
  @Auth('console.listings')
  @ApiOperation({
    summary: 'The blocklist\'s version history: each version with entries added, removed and the total, newest first, paged',
    description: 'Staff operators (admin, support): `limit` versions (50 by default, at most 200) before `before`; `next_before` pages on. History is pruned by age (`oldest_kept`).',
  })
  @ApiOkResponse({ type: BlocklistVersionsDto })
  versions(@Query() query: BlocklistVersionsQueryDto): Promise<BlocklistVersionsDto> {
    return this.listings.versionsPage(query);
  }
}
