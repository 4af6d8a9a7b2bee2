import { mapCapiSignals } from './capi-signals.js';

const HASH = '4441dcff07020f6690d998b7101e642359ba405c2abb83565bbbdcee36de280f';

function item(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    machine_id: 'agent',
    message: 'm',
    scenario: 'crowdsecurity/ssh-bf',
    scenario_hash: HASH,
    scenario_version: '0.1',
    scenario_trust: 'certified',
    source: { ip: '185.1.2.3', scope: 'Ip', value: '185.1.2.3' },
    start_at: '2026-11-25T15:48:40.070884694Z',
    stop_at: '2026-11-25T15:48:40.571013739Z',
    ...overrides,
  };
}

describe('mapCapiSignals', () => {
  it('maps captured items onto the native shape and ignores unknown fields', () => {
    const mapped = mapCapiSignals([item({ uuid: 'a1b2', decisions: [], context: null, kind: 'crowdsec' })]);
    expect(mapped).toEqual({
      native: {
        signals: [
          {
            scope: 'ip',
            ip: '185.1.2.3',
            scenario: 'crowdsecurity/ssh-bf',
            scenario_hash: HASH,
            scenario_version: '0.1',
            scenario_trust: 'certified',
            uuid: 'a1b2',
            started_at: '2026-11-25T15:48:40.070884694Z',
            stopped_at: '2026-11-25T15:48:40.571013739Z',
          },
        ],
      },
      skipped: [],
    });
  });

  it('skips manual decisions and non-address scopes, and drops empty hash and version', () => {
    const mapped = mapCapiSignals([
      item({ scenario: 'manual test', scenario_hash: '', scenario_version: '', scenario_trust: 'manual' }),
      item({ source: { scope: 'Country', value: 'FR' } }),
      item({ scenario_hash: '', scenario_version: '?', source: { scope: 'Range', value: '185.1.2.0/24' } }),
    ]);
    if ('problems' in mapped) throw new Error('unexpected problems');
    expect(mapped.skipped.map((s) => s.index)).toEqual([0, 1]);
    expect(mapped.native.signals).toEqual([expect.not.objectContaining({ scenario_hash: expect.anything(), scenario_version: expect.anything() })]);
    expect(mapped.native.signals[0]).toMatchObject({ scope: 'range', range: '185.1.2.0/24' });
  });

  it.each([
    ['not an array', { signals: [] }],
    ['51 items', Array.from({ length: 51 }, () => item())],
    ['a missing field', [item({ message: undefined })]],
    ['a mistyped source', [item({ source: { scope: 'Ip', value: 7 } })]],
    ['a mistyped trust', [item({ scenario_trust: 3 })]],
  ])('refuses %s as a whole', (_name, body) => {
    expect(mapCapiSignals(body)).toHaveProperty('problems');
  });
});
