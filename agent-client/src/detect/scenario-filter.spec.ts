import { httpEvent, sshEvent } from './log-event.js';
import { compileCondition, compileFilter, containsAny } from './scenario-filter.js';

describe('containsAny', () => {
  const naive = (needles: string[]) => (s: string) => needles.some((n) => s.includes(n));

  it('agrees with a naive search', () => {
    const needles = ['/.env', '/.git/', '/wp-login.php', 'x', '/a', 'ab', '/'];
    const subjects = ['/', '', '/.en', '/.env', '/foo/.git/config', '/wp-login.ph', '/WP-login.php', 'zzzx', '/ab', 'b/a', 'ab', 'a'];
    for (let k = 0; k < needles.length; k++) {
      const list = needles.slice(k);
      const fast = containsAny(list);
      const slow = naive(list);
      for (const s of subjects) expect([list, s, fast(s)]).toEqual([list, s, slow(s)]);
    }
  });

  it('matches at the very end and with an empty needle', () => {
    expect(containsAny(['/x'])('/a/x')).toBe(true);
    expect(containsAny([''])('anything')).toBe(true);
    expect(containsAny([])('anything')).toBe(false);
  });
});

describe('compiled conditions', () => {
  const req = httpEvent('203.0.113.1', 0, 'GET', '/Admin/.ENV', 404, 'curl/8');
  const ssh = sshEvent('ssh_auth_failed', '203.0.113.1', 0, 1, 'root', 'password');

  it.each([
    [{ field: 'status', op: 'eq', value: 404 }, true],
    [{ field: 'status', op: 'ne', value: 404 }, false],
    [{ field: 'status', op: 'in', value: [401, 404] }, true],
    [{ field: 'user', op: 'not_in', value: ['root'] }, true],
    [{ field: 'status', op: 'gte', value: 400 }, true],
    [{ field: 'status', op: 'lt', value: 400 }, false],
    [{ field: 'status', op: 'gt', value: 404 }, false],
    [{ field: 'status', op: 'lte', value: 404 }, true],
    [{ field: 'path', op: 'prefix', value: ['/admin'] }, false],
    [{ field: 'path', op: 'prefix', value: ['/admin'], ignoreCase: true }, true],
    [{ field: 'path', op: 'suffix', value: ['.env'], ignoreCase: true }, true],
    [{ field: 'path', op: 'contains', value: ['/.env'], ignoreCase: true }, true],
    [{ field: 'path', op: 'contains', value: ['/.env'] }, false],
    [{ field: 'user', op: 'exists', value: false }, true],
    [{ any: [{ field: 'status', op: 'eq', value: 200 }, { field: 'method', op: 'eq', value: 'GET' }] }, true],
    [{ all: [{ field: 'status', op: 'eq', value: 200 }, { field: 'method', op: 'eq', value: 'GET' }] }, false],
    [{ not: { field: 'status', op: 'eq', value: 200 } }, true],
  ] as const)('%j -> %s', (condition, expected) => {
    expect(compileCondition(condition as never)(req)).toBe(expected);
  });

  it('filters on source and kinds before conditions', () => {
    const f = compileFilter({ source: 'sshd', kinds: ['ssh_auth_failed'], where: [{ field: 'user', op: 'eq', value: 'root' }] });
    expect(f(ssh)).toBe(true);
    expect(f(req)).toBe(false);
    expect(f({ ...ssh, kind: 'ssh_probe' })).toBe(false);
    expect(f({ ...ssh, user: 'bob' })).toBe(false);
  });
});
