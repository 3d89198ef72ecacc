import {
  findPlay,
  PLAY_DIMENSIONS,
  PLAYS,
  PLAYS_VERSION,
  playsFor,
  reportedDimensions,
} from '@candor/instruments';

describe('plays catalogue', () => {
  it('has four plays for psychological safety and for each trust component, none for the index', () => {
    for (const dim of PLAY_DIMENSIONS) expect(playsFor(dim)).toHaveLength(4);
    expect(playsFor('trust_index')).toEqual([]);
    const withPlays = new Set(PLAYS.map((p) => p.dimension));
    const reported = new Set(reportedDimensions().map((d) => d.id));
    for (const dim of withPlays) expect(reported.has(dim)).toBe(true);
  });

  it('keys each play by dimension, slug and version, uniquely, and finds it again by key', () => {
    const keys = PLAYS.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const play of PLAYS) {
      expect(play.key).toBe(`${play.dimension}/${play.slug}@${PLAYS_VERSION}`);
      expect(findPlay(play.key)).toBe(play);
    }
    expect(findPlay('credibility/share-reasoning@99')).toBeUndefined();
    expect(findPlay('credibility/share-reasoning')).toBeUndefined();
    expect(findPlay('nonsense')).toBeUndefined();
  });

  it('gives every play a title, a summary, at least two concrete steps and a signal, in plain sentences', () => {
    for (const play of PLAYS) {
      expect(play.title.length).toBeGreaterThan(5);
      expect(play.title.length).toBeLessThanOrEqual(60);
      expect(play.summary).toMatch(/\.$/);
      expect(play.steps.length).toBeGreaterThanOrEqual(2);
      for (const step of play.steps) expect(step).toMatch(/^[A-Z].*[.?”]$/);
      expect(play.signal).toMatch(/\.$/);
      // An action started from a play takes its title as its text: it must fit the action's limit.
      expect(play.title.length).toBeLessThanOrEqual(500);
    }
  });

  it('covers the behaviours the issue names for each dimension', () => {
    const titles = (dim: string) => playsFor(dim).map((p) => p.slug);
    expect(titles('credibility')).toEqual([
      'share-reasoning',
      'admit-unknowns',
      'keep-learning',
      'real-work',
    ]);
    expect(titles('reliability')).toEqual([
      'keep-commitments',
      'warn-early',
      'consistent-standards',
      'come-prepared',
    ]);
    expect(titles('intimacy')).toEqual([
      'honest-talk',
      'private-hard-talks',
      'keep-confidences',
      'care-about-growth',
    ]);
    expect(titles('self_orientation')).toEqual([
      'credit-others',
      'team-first',
      'ask-first',
      'change-your-mind',
    ]);
    expect(titles('psych_safety')).toEqual([
      'frame-as-learning',
      'own-fallibility',
      'curious-questions',
      'respond-to-bad-news',
    ]);
  });
});
