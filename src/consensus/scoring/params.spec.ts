import { ConsensusParamsError, DEFAULT_CONSENSUS_PARAMS, resolveParams } from './params.js';

describe('consensus parameters', () => {
  it('has the design defaults', () => {
    expect(DEFAULT_CONSENSUS_PARAMS).toMatchObject({
      thetaAdd: 2,
      thetaKeep: 1,
      minAsns: 3,
      minVoters: 3,
      minEstablished: 3,
      voteHalfLifeMs: 36 * 3_600_000,
      ttlConfirmedMs: 36 * 3_600_000,
      ttlUnconfirmedMs: 24 * 3_600_000,
      noveltyBudget: 10,
      collusionLinkThreshold: 15,
      priorAlpha: 1,
      priorBeta: 3,
      asnRankWeights: [1, 0.5, 0.25, 0.125],
    });
  });

  it('overlays overrides without touching the defaults', () => {
    const p = resolveParams({ thetaAdd: 2.5, asnRankWeights: [1, 0.5] });
    expect(p.thetaAdd).toBe(2.5);
    expect(p.asnRankWeights).toEqual([1, 0.5]);
    expect(DEFAULT_CONSENSUS_PARAMS.thetaAdd).toBe(2);
    expect(resolveParams({ noveltyMode: 'literal' }).noveltyMode).toBe('literal');
  });

  it.each([
    [{ thetaAdd: 'three' }, /thetaAdd/],
    [{ theta_add: 3 }, /unknown consensus parameter: theta_add/],
    [{ noveltyMode: 'sometimes' }, /noveltyMode/],
    [{ asnRankWeights: [1, 'x'] }, /asnRankWeights/],
    [{ cooldownMs: -1 }, /cooldownMs/],
    [{ asnRankWeights: [] }, /asnRankWeights/],
  ])('rejects %j', (overrides, message) => {
    expect(() => resolveParams(overrides)).toThrow(ConsensusParamsError);
    expect(() => resolveParams(overrides)).toThrow(message);
  });
});
