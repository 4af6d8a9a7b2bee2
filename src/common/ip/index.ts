export * from './ip-address.js';
export * from './cidr.js';
export { CidrSet, type CidrSetInput } from './cidr-set.js';
export { Ipv4RangeTable, Ipv6RangeTable } from './ip-range-table.js';
export * from './special-purpose.js';
export * from './ip-metadata.js';
export * from './address-words.js';
