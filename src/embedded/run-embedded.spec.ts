import { loadConfig } from '../config/app-config.js';
import { parseEmbeddedArgs } from './run-embedded.js';

describe('embedded mode options', () => {
  it('defaults the data folder to .data/embedded under the working directory', () => {
    expect(parseEmbeddedArgs(['--embedded'], '/srv/quorum')).toEqual({ dataDir: '/srv/quorum/.data/embedded', demo: false });
    expect(parseEmbeddedArgs(['--embedded', '--demo', '--data-dir', 'tmp/x'], '/srv/quorum')).toEqual({ dataDir: '/srv/quorum/tmp/x', demo: true });
    expect(() => parseEmbeddedArgs(['--data-dir'])).toThrow(/needs a folder/);
  });

  it('tells whether DATABASE_URL and REDIS_URL were set, apart from their defaults', () => {
    const defaults = loadConfig({});
    expect(defaults.database.configured).toBe(false);
    expect(defaults.redis.configured).toBe(false);
    expect(defaults.queue.backend).toBe('redis');
    const set = loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/q', REDIS_URL: '' });
    expect(set.database.configured).toBe(true);
    expect(set.redis.configured).toBe(false);
  });
});
