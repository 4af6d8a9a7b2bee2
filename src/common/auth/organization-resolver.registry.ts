import { Injectable } from '@nestjs/common';
import type { ScopedResource } from './authorization-table.js';

/** Returns the organisation owning a resource, or null when there is no such resource. */
export type OrganizationResolver = (id: string) => Promise<string | null>;

/**
 * Rows whose organisation is that of a resource (`{ resource: 'agent', param: 'id' }`) need the owning
 * domain to say which organisation holds the resource: each domain registers its resolver here, the way
 * authenticators are registered, and the boot check refuses a row whose resource has none.
 */
@Injectable()
export class OrganizationResolverRegistry {
  private readonly byResource = new Map<ScopedResource, OrganizationResolver>();

  register(resource: ScopedResource, resolver: OrganizationResolver): void {
    this.byResource.set(resource, resolver);
  }

  get(resource: ScopedResource): OrganizationResolver | undefined {
    return this.byResource.get(resource);
  }
}
