import { SshdParser } from './parse-sshd.js';

const REF = new Date(2026, 10, 26, 12, 0, 0).getTime(); // 26 Nov 2026, local time
const parse = (line: string) => new SshdParser().parse(line, REF);
const H = 'Nov 25 17:00:01 web1 sshd[4242]: ';

describe('SshdParser messages', () => {
  it.each([
    [`${H}Failed password for root from 203.0.113.5 port 51234 ssh2`, 'ssh_auth_failed', '203.0.113.5', 'root', 'password'],
    [`${H}Failed password for invalid user admin from 203.0.113.5 port 51234 ssh2`, 'ssh_auth_failed', '203.0.113.5', 'admin', 'password/invalid_user'],
    [`${H}Failed password for invalid user  from 203.0.113.5 port 51234 ssh2`, 'ssh_auth_failed', '203.0.113.5', '', 'password/invalid_user'],
    [`${H}Failed publickey for git from 2001:DB8::7 port 22 ssh2: RSA SHA256:abc`, 'ssh_auth_failed', '2001:db8::7', 'git', 'publickey'],
    [`${H}Failed keyboard-interactive/pam for invalid user x from 198.51.100.1 port 2 ssh2`, 'ssh_auth_failed', '198.51.100.1', 'x', 'keyboard-interactive/pam/invalid_user'],
    [`${H}Failed none for invalid user from from 198.51.100.1 port 2 ssh2`, 'ssh_auth_failed', '198.51.100.1', 'from', 'none/invalid_user'],
    [`${H}Invalid user oracle from 198.51.100.2 port 40000`, 'ssh_invalid_user', '198.51.100.2', 'oracle', undefined],
    [`${H}Invalid user  from 198.51.100.2 port 40000`, 'ssh_invalid_user', '198.51.100.2', '', undefined],
    [`${H}Invalid user bob from 198.51.100.2`, 'ssh_invalid_user', '198.51.100.2', 'bob', undefined],
    [`${H}Connection closed by invalid user test 198.51.100.3 port 5555 [preauth]`, 'ssh_preauth_closed', '198.51.100.3', 'test', 'closed'],
    [`${H}Connection closed by authenticating user root 198.51.100.3 port 5555 [preauth]`, 'ssh_preauth_closed', '198.51.100.3', 'root', 'closed'],
    [`${H}Connection reset by invalid user a b 198.51.100.3 port 5555 [preauth]`, 'ssh_preauth_closed', '198.51.100.3', 'a b', 'reset'],
    [`${H}Disconnected from invalid user ubuntu 198.51.100.4 port 6 [preauth]`, 'ssh_preauth_closed', '198.51.100.4', 'ubuntu', 'disconnected'],
    [`${H}Disconnected from authenticating user root ::ffff:198.51.100.4 port 6 [preauth]`, 'ssh_preauth_closed', '198.51.100.4', 'root', 'disconnected'],
    [`${H}Connection closed by 198.51.100.5 port 5 [preauth]`, 'ssh_probe', '198.51.100.5', undefined, 'closed_preauth'],
    [`${H}pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.6  user=root`, 'ssh_pam_failure', '198.51.100.6', 'root', undefined],
    [`${H}pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.6`, 'ssh_pam_failure', '198.51.100.6', undefined, undefined],
    [`${H}error: maximum authentication attempts exceeded for invalid user pi from 198.51.100.7 port 9 ssh2 [preauth]`, 'ssh_max_auth', '198.51.100.7', 'pi', undefined],
    [`${H}maximum authentication attempts exceeded for root from 198.51.100.7 port 9 ssh2 [preauth]`, 'ssh_max_auth', '198.51.100.7', 'root', undefined],
    [`${H}User root from 198.51.100.8 not allowed because not listed in AllowUsers`, 'ssh_not_allowed', '198.51.100.8', 'root', undefined],
    [`${H}ROOT LOGIN REFUSED FROM 198.51.100.8 port 3`, 'ssh_not_allowed', '198.51.100.8', 'root', undefined],
    [`${H}Did not receive identification string from 198.51.100.9 port 1`, 'ssh_probe', '198.51.100.9', undefined, 'no_ident'],
    [`${H}banner exchange: Connection from 198.51.100.9 port 1: invalid format`, 'ssh_probe', '198.51.100.9', undefined, 'bad_banner'],
    [`${H}Unable to negotiate with 198.51.100.9 port 1: no matching key exchange method found.`, 'ssh_probe', '198.51.100.9', undefined, 'negotiation'],
  ])('%s', (line, kind, ip, user, detail) => {
    const e = parse(line);
    expect(e).toMatchObject({ source: 'sshd', kind, ip, count: 1 });
    expect(e?.user).toBe(user);
    expect(e?.detail).toBe(detail);
  });

  it('reads successful logins, with the connection\'s port', () => {
    expect(parse(`${H}Accepted publickey for deploy from 198.51.100.1 port 2222 ssh2: ED25519 SHA256:x`)).toMatchObject({
      kind: 'ssh_auth_success',
      ip: '198.51.100.1',
      port: 2222,
      user: 'deploy',
      detail: 'publickey',
    });
    expect(parse(`${H}Accepted password for alice from 2001:db8::5 port 40001 ssh2`)).toMatchObject({ kind: 'ssh_auth_success', ip: '2001:db8::5', user: 'alice' });
  });

  it('reads the source port of the lines that name it (one connection = ip + port)', () => {
    expect(parse(`${H}Failed password for root from 203.0.113.5 port 51234 ssh2`)?.port).toBe(51234);
    expect(parse(`${H}Invalid user oracle from 198.51.100.2 port 40000`)?.port).toBe(40000);
    expect(parse(`${H}Connection closed by invalid user test 198.51.100.3 port 5555 [preauth]`)?.port).toBe(5555);
    expect(parse(`${H}error: maximum authentication attempts exceeded for invalid user pi from 198.51.100.7 port 9 ssh2 [preauth]`)?.port).toBe(9);
    expect(parse(`${H}Invalid user bob from 198.51.100.2`)?.port).toBeUndefined();
    expect(parse(`${H}User root from 198.51.100.8 not allowed because not listed in AllowUsers`)?.port).toBeUndefined();
  });

  it.each([
    `${H}Received disconnect from 198.51.100.1 port 22:11: Bye Bye [preauth]`,
    `${H}Disconnected from user deploy 198.51.100.1 port 22`,
    `${H}Connection closed by invalid user x 198.51.100.1 port 22`,
    `${H}Failed password for root from web.example.org port 22 ssh2`,
    `${H}Server listening on 0.0.0.0 port 22.`,
    'Nov 25 17:00:01 web1 CRON[1]: pam_unix(cron:session): session opened for user root',
    'Nov 25 17:00:01 web1 sshdx[1]: Failed password for root from 198.51.100.1 port 22 ssh2',
    'garbage',
    '',
    `${H}`,
    `${H}Failed password`,
    `${H}Invalid user`,
  ])('ignores %j', (line) => expect(parse(line)).toBeNull());

  it('reads rsyslog "message repeated" lines as several events', () => {
    const e = parse(`${H}message repeated 3 times: [ Failed password for root from 203.0.113.5 port 51234 ssh2]`);
    expect(e).toMatchObject({ kind: 'ssh_auth_failed', ip: '203.0.113.5', user: 'root', count: 3 });
  });

  it('accepts sshd-session and sshd-auth tags and tags without pid', () => {
    expect(parse('Nov 25 17:00:01 h sshd-session[7]: Invalid user a from 203.0.113.5 port 1')?.kind).toBe('ssh_invalid_user');
    expect(parse('Nov 25 17:00:01 h sshd-auth[7]: Invalid user a from 203.0.113.5 port 1')?.kind).toBe('ssh_invalid_user');
    expect(parse('Nov 25 17:00:01 h sshd: Invalid user a from 203.0.113.5 port 1')?.kind).toBe('ssh_invalid_user');
  });
});

describe('SshdParser timestamps', () => {
  const msg = 'sshd[1]: Invalid user a from 203.0.113.5 port 1';

  it('reads BSD syslog time as local time in the reference year', () => {
    expect(parse(`Nov 25 17:00:01 h ${msg}`)?.time).toBe(new Date(2026, 10, 25, 17, 0, 1).getTime());
    expect(parse(`Nov  5 07:08:09 h ${msg}`)?.time).toBe(new Date(2026, 10, 5, 7, 8, 9).getTime());
  });

  it('puts a month after the reference in the previous year', () => {
    expect(parse(`Dec 31 23:59:59 h ${msg}`)?.time).toBe(new Date(2025, 11, 31, 23, 59, 59).getTime());
  });

  it('reads journald short-precise fractions', () => {
    expect(parse(`Nov 25 17:00:01.250000 h ${msg}`)?.time).toBe(new Date(2026, 10, 25, 17, 0, 1, 250).getTime());
  });

  it('reads ISO 8601 with offsets (short-iso, rsyslog)', () => {
    expect(parse(`2026-11-25T17:00:01+0000 h ${msg}`)?.time).toBe(Date.UTC(2026, 10, 25, 17, 0, 1));
    expect(parse(`2026-11-25T17:00:01.123456+01:00 h ${msg}`)?.time).toBe(Date.UTC(2026, 10, 25, 16, 0, 1, 123));
    expect(parse(`2026-11-25T17:00:01Z h ${msg}`)?.time).toBe(Date.UTC(2026, 10, 25, 17, 0, 1));
  });

  it('reads journald short-unix epoch seconds', () => {
    expect(parse(`1795626001.500000 h ${msg}`)?.time).toBe(1795626001500);
  });

  it('caches per second without mixing up consecutive seconds', () => {
    const p = new SshdParser();
    const a = p.parse(`Nov 25 17:00:01 h ${msg}`, REF)?.time ?? 0;
    const b = p.parse(`Nov 25 17:00:01 h ${msg}`, REF)?.time ?? 0;
    const c = p.parse(`Nov 25 17:00:02 h ${msg}`, REF)?.time ?? 0;
    expect([b - a, c - a]).toEqual([0, 1000]);
  });
});
