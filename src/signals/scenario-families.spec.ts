import { scenarioFamily } from './scenario-families.js';

describe('scenarioFamily', () => {
  it.each([
    ['crowdsecurity/ssh-bf', 'ssh'],
    ['quorum/ssh-slow-bf', 'ssh'],
    ['quorum/ssh-user-enum', 'ssh'],
    ['crowdsecurity/http-probing', 'http'],
    ['quorum/http-sensitive-paths', 'http'],
    ['crowdsecurity/http-bad-user-agent', 'http'],
    ['crowdsecurity/CVE-2021-41773', 'http'],
    ['crowdsecurity/wordpress-bf', 'wordpress'],
    ['crowdsecurity/http-wordpress_wpconfig', 'wordpress'],
    ['crowdsecurity/mail-bf', 'mail'],
    ['crowdsecurity/postfix-spam', 'mail'],
    ['crowdsecurity/portscan', 'scan'],
    ['firewallservices/nmap-scan', 'scan'],
    ['crowdsecurity/mysql-bf', 'database'],
    ['crowdsecurity/rdp-bf', 'remote-desktop'],
    ['x/unheard-of', 'other'],
    ['sshd-author/unheard-of', 'other'],
    ['QUORUM/SSH-BF', 'ssh'],
  ])('%s is %s', (scenario, family) => {
    expect(scenarioFamily(scenario)).toBe(family);
  });

  it('does not match a family word inside another word', () => {
    expect(scenarioFamily('x/sshow')).toBe('other');
    expect(scenarioFamily('x/webhook-abuse')).toBe('other');
  });
});
