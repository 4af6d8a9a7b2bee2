import { listCapability, verifyListCapability } from './list-capability.js';

describe('list capabilities', () => {
  it('verify only for the same secret, watcher and list', () => {
    const cap = listCapability('s3cret', 'agent-1', 'quorum-ssh-ip');
    expect(verifyListCapability('s3cret', cap, 'quorum-ssh-ip')).toBe('agent-1');
    expect(verifyListCapability('s3cret', cap, 'quorum-ssh-range')).toBeNull();
    expect(verifyListCapability('other', cap, 'quorum-ssh-ip')).toBeNull();
    expect(verifyListCapability('s3cret', cap.replace('agent-1', 'agent-2'), 'quorum-ssh-ip')).toBeNull();
    expect(verifyListCapability('s3cret', 'garbage', 'quorum-ssh-ip')).toBeNull();
  });
});
