import { ApiKeyCache, type ApiKeyPrincipal } from './api-key-cache.js';

const principal = (org: string, id = 'k1'): ApiKeyPrincipal => ({ kind: 'apiKey', apiKeyId: id, organizationId: org, scopes: ['lookup'], planId: 'free' });

describe('ApiKeyCache', () => {
  it('remembers resolved keys until dropped or expired', () => {
    const cache = new ApiKeyCache(60_000, 5_000);
    expect(cache.get('h1', 0)).toBeUndefined();
    cache.set('h1', principal('o1'), 0);
    expect(cache.get('h1', 59_999)).toEqual(principal('o1'));
    expect(cache.get('h1', 60_000)).toBeUndefined();
    cache.set('h1', principal('o1'), 0);
    cache.dropHash('h1');
    expect(cache.get('h1', 1)).toBeUndefined();
  });

  it('never serves a key past its own expiry, even inside the cache lifetime', () => {
    const cache = new ApiKeyCache(60_000, 5_000);
    cache.set('h1', principal('o1'), 0, 10_000);
    expect(cache.get('h1', 9_999)).toEqual(principal('o1'));
    // undefined: the cache cannot say, so the service reads the key again (and finds it expired)
    expect(cache.get('h1', 10_000)).toBeUndefined();
    cache.set('h2', principal('o1', 'k2'), 0, 120_000);
    expect(cache.get('h2', 60_000)).toBeUndefined();
  });

  it('drops every key of an organisation (plan change) and everything on resync', () => {
    const cache = new ApiKeyCache(60_000, 5_000);
    cache.set('a', principal('o1', 'a'), 0);
    cache.set('b', principal('o1', 'b'), 0);
    cache.set('c', principal('o2', 'c'), 0);
    cache.dropOrganization('o1');
    expect([cache.get('a', 1), cache.get('b', 1), cache.get('c', 1)?.apiKeyId]).toEqual([undefined, undefined, 'c']);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('remembers unknown keys briefly, with a bound', () => {
    const cache = new ApiKeyCache(60_000, 5_000, 2);
    cache.set('x', null, 0);
    expect(cache.get('x', 4_999)).toBeNull();
    expect(cache.get('x', 5_000)).toBeUndefined();
    cache.set('x', null, 0);
    cache.set('y', null, 0);
    cache.set('z', null, 0);
    expect(cache.get('x', 1)).toBeUndefined();
    expect(cache.get('z', 1)).toBeNull();
  });
});
