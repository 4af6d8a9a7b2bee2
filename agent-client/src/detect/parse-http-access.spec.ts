import { HttpAccessParser } from './parse-http-access.js';

const parse = (line: string) => new HttpAccessParser().parse(line);

describe('HttpAccessParser', () => {
  it('parses the combined format', () => {
    const e = parse('203.0.113.9 - - [25/Nov/2026:17:00:01 +0100] "GET /wp-login.php?x=1 HTTP/1.1" 404 153 "-" "Mozilla/5.0 (X11)"');
    expect(e).toEqual({
      source: 'http',
      kind: 'http_request',
      ip: '203.0.113.9',
      time: Date.UTC(2026, 10, 25, 16, 0, 1),
      count: 1,
      user: undefined,
      method: 'GET',
      path: '/wp-login.php',
      status: 404,
      userAgent: 'Mozilla/5.0 (X11)',
      detail: undefined,
    });
  });

  it('parses the common format (no referer or agent) and IPv6 clients', () => {
    const e = parse('2001:DB8::9 - alice [25/Nov/2026:17:00:01 +0000] "POST /login HTTP/2.0" 401 0');
    expect(e).toMatchObject({ ip: '2001:db8::9', method: 'POST', path: '/login', status: 401, userAgent: undefined });
  });

  it('skips an Apache vhost prefix', () => {
    expect(parse('example.org:443 203.0.113.9 - - [25/Nov/2026:17:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8"')).toMatchObject({
      ip: '203.0.113.9',
      status: 200,
    });
  });

  it('survives junk request lines and quotes inside them', () => {
    expect(parse('203.0.113.9 - - [25/Nov/2026:17:00:01 +0000] "\\x16\\x03\\x01\\x00" 400 157 "-" "-"')).toMatchObject({ method: '', path: '\\x16\\x03\\x01\\x00', status: 400 });
    expect(parse('203.0.113.9 - - [25/Nov/2026:17:00:01 +0000] "GET /a" b" HTTP/1.1" 404 1 "-" "ua"')).toMatchObject({ path: '/a"', status: 404 });
    expect(parse('203.0.113.9 - - [25/Nov/2026:17:00:01 +0000] "-" 400 0 "-" "-"')).toMatchObject({ method: '', path: '-', status: 400 });
  });

  it.each([
    'not a log line at all',
    'web.example - - [25/Nov/2026:17:00:01 +0000] "GET / HTTP/1.1" 200 5',
    '203.0.113.9 - - [25/Nov/2026:17:00:01 +0000] "GET / HTTP/1.1" abc 5',
    '203.0.113.9 - - [25/Nov/2026:17:00:01 +0000] "GET / HTTP/1.1',
    'Nov 25 17:00:01 web1 sshd[4242]: Invalid user oracle from 198.51.100.2 port 40000',
  ])('rejects %j', (line) => expect(parse(line)).toBeNull());

  it('keeps the event when only the timestamp is unreadable', () => {
    expect(parse('203.0.113.9 - - [yesterday] "GET / HTTP/1.1" 200 5 "-" "ua"')?.time).toBeNaN();
  });
});
