import { freePlaces, registerLocation, updateLocation, type Location } from './location';
import { DEFAULT_MATCHING_CONFIG, rankCandidates, type MatchingConfig } from './matching';

const loc = (id: string, over: Partial<Location> = {}): Location => ({
  ...registerLocation(id, 'fz-de-brug', {
    label: id,
    forensicMix: 'clustered',
    substancePolicy: 'use-tolerated',
    expertise: [],
    capacity: 4,
    excludedOffenceCategories: [],
  }),
  ...over,
});
const request = {
  offenceCategory: 'sexual' as const,
  activeSubstanceUse: true,
  needs: ['housing', 'addiction-care', 'lvb-support'] as const,
  remainingTitleMonths: 12,
};

describe('matching: rules are data, every candidate explained', () => {
  const candidates = [
    { location: loc('full', { occupancy: 4 }), freePlaces: 0 },
    {
      location: loc('abstinent', { substancePolicy: 'abstinent', expertise: ['addiction'] }),
      freePlaces: 3,
    },
    { location: loc('no-sex-offences', { excludedOffenceCategories: ['sexual'] }), freePlaces: 3 },
    { location: loc('plain'), freePlaces: 1 },
    {
      location: loc('expert-spread', { expertise: ['addiction', 'lvb'], forensicMix: 'spread' }),
      freePlaces: 1,
    },
  ];

  it('ranks eligible locations by score and explains exclusions with a refusal reason', () => {
    const r = rankCandidates(
      DEFAULT_MATCHING_CONFIG,
      { ...request, needs: [...request.needs] },
      candidates,
    );
    expect(r.titleTooShort).toBe(false);
    expect(
      r.candidates.map((c) => [c.locationId, c.eligible, c.score, c.suggestedRefusalReason]),
    ).toEqual([
      ['expert-spread', true, 26, undefined], // 2 needs × 10 + spread 5 + 1 free
      ['plain', true, -9, undefined], // 2 needs uncovered × −5 + 1 free
      ['abstinent', false, 8, 'active-use-vs-abstinent-location'],
      ['no-sex-offences', false, -7, 'offence-incompatible-with-location'],
      ['full', false, -10, 'no-capacity'],
    ]);
    const best = r.candidates[0]!;
    expect(best.explanation).toContain(
      'needs-covered-by-expertise: expertise covers addiction-care, lvb-support → +20',
    );
    expect(best.explanation).toContain(
      'forensic-mix: spread mix (preferred for this offence category) → +5',
    );
  });

  it('flags a title under the provider minimum as too short for every candidate', () => {
    const r = rankCandidates(
      DEFAULT_MATCHING_CONFIG,
      { ...request, needs: [], remainingTitleMonths: 5 },
      candidates,
    );
    expect(r.titleTooShort).toBe(true);
    expect(
      r.candidates.every((c) => !c.eligible && c.suggestedRefusalReason === 'title-too-short'),
    ).toBe(true);
  });

  it('follows a provider-specific configuration (substance use becomes a penalty, not an exclusion)', () => {
    const config: MatchingConfig = {
      minRemainingTitleMonths: 3,
      rules: [
        { kind: 'no-capacity', effect: 'exclude', points: 0 },
        { kind: 'active-use-at-abstinent-location', effect: 'score', points: -50 },
        { kind: 'free-places', effect: 'score', points: 10 },
      ],
    };
    const r = rankCandidates(
      config,
      { ...request, needs: [], remainingTitleMonths: 4 },
      candidates,
    );
    expect(r.titleTooShort).toBe(false);
    expect(r.candidates.map((c) => [c.locationId, c.eligible, c.score])).toEqual([
      ['no-sex-offences', true, 30],
      ['expert-spread', true, 10],
      ['plain', true, 10],
      ['abstinent', true, -20],
      ['full', false, 0],
    ]);
  });
});

describe('locations (R-LOCATION)', () => {
  it('counts free places net of residents and accepted placements', () => {
    expect(freePlaces({ capacity: 4, occupancy: 2 }, 1)).toBe(1);
    expect(freePlaces({ capacity: 4, occupancy: 4 }, 1)).toBe(0);
  });

  it('never lowers capacity below occupancy', () => {
    const l = loc('x', { occupancy: 3 });
    expect(() => updateLocation(l, { ...l, capacity: 2 })).toThrow('below the current occupancy');
    expect(updateLocation(l, { ...l, capacity: 3 }).capacity).toBe(3);
  });
});
