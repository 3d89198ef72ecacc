import fc from 'fast-check';
import {
  bandOf,
  changeTone,
  currentInstrument,
  favourability,
  favourableCount,
  findDimension,
  goodDirection,
  INSTRUMENTS,
  isFavourableAnswer,
  itemDimension,
  itemScore,
  reportedDimensions,
  SCALE_BANDS,
  scoreResponse,
  TRUST_INDEX,
  TRUST_INDEX_BANDS,
  trustIndex,
  type Answers,
} from '@candor/instruments';

// Means on a grid of 1/1024 between 1 and 7: exact in binary, so mirroring (8 − x) cannot round two
// different means onto one value (arbitrary doubles such as 1.000000000000003 and …33 did).
const mean17 = fc.integer({ min: 1024, max: 7 * 1024 }).map((i) => i / 1024);
const scaleDims = ['psych_safety', 'credibility', 'reliability', 'intimacy', 'self_orientation'];

describe('good direction', () => {
  it('is declared for every reported dimension: self-orientation lower, everything else higher', () => {
    const dims = reportedDimensions();
    expect(dims.map((d) => d.id).sort()).toEqual([...scaleDims, 'trust_index'].sort());
    for (const d of dims) expect(goodDirection(d.id)).toBe(d.id === 'self_orientation' ? 'lower' : 'higher');
    expect(findDimension('mood')).toBeUndefined();
    expect(() => goodDirection('mood')).toThrow(RangeError);
  });

  it('favourability mirrors a lower-is-better value on its scale and keeps it on the scale', () => {
    expect(favourability('self_orientation', 2)).toBe(6);
    expect(favourability('credibility', 2)).toBe(2);
    expect(favourability('trust_index', 5)).toBe(5);
    fc.assert(
      fc.property(fc.constantFrom(...scaleDims), mean17, mean17, (dim, a, b) => {
        const fa = favourability(dim, a);
        const fb = favourability(dim, b);
        // On the scale, and order-preserving exactly when higher is better.
        const ordered =
          goodDirection(dim) === 'higher'
            ? Math.sign(fa - fb) === Math.sign(a - b)
            : Math.sign(fa - fb) === Math.sign(b - a);
        return fa >= 1 && fa <= 7 && ordered;
      }),
    );
  });

  it('changeTone calls a fall in self-orientation better and a fall elsewhere worse', () => {
    expect(changeTone('self_orientation', -0.5)).toBe('better');
    expect(changeTone('self_orientation', 0.5)).toBe('worse');
    expect(changeTone('psych_safety', -0.5)).toBe('worse');
    expect(changeTone('trust_index', 1)).toBe('better');
    expect(changeTone('intimacy', 0)).toBe('none');
    fc.assert(
      fc.property(
        fc.constantFrom(...scaleDims, 'trust_index'),
        fc.integer({ min: -50, max: 50 }).map((tenths) => tenths / 10),
        (dim, delta) => {
          const tone = changeTone(dim, delta);
          if (delta === 0) return tone === 'none';
          // Better exactly when favourability rises.
          const fav = favourability(dim, 4 + delta / 2) - favourability(dim, 4 - delta / 2);
          return tone === (fav > 0 ? 'better' : 'worse');
        },
      ),
    );
  });
});

describe('bands', () => {
  it('cuts the 1–7 scale at 5.5 and 4.5 of favourability, inclusive of strong', () => {
    expect(bandOf('psych_safety', 5.5)).toBe('strong');
    expect(bandOf('psych_safety', 5.49)).toBe('fine');
    expect(bandOf('psych_safety', 4.5)).toBe('fine');
    expect(bandOf('psych_safety', 4.49)).toBe('needs-attention');
    // Self-orientation of 2.5 is strong (mirror of 5.5); of 3.6 needs attention (mirror of 4.4).
    expect(bandOf('self_orientation', 2.5)).toBe('strong');
    expect(bandOf('self_orientation', 3.6)).toBe('needs-attention');
    expect(() => bandOf('psych_safety', Number.NaN)).toThrow(RangeError);
  });

  it('derives the trust index cuts from the component cuts', () => {
    expect(TRUST_INDEX_BANDS.strong).toBeCloseTo(6.6, 12);
    expect(TRUST_INDEX_BANDS.needsAttentionBelow).toBeCloseTo(27 / 7, 12);
    // A team exactly at the component cut points sits exactly at the index cut points.
    const strongIndex = trustIndex(5.5, 5.5, 5.5, 2.5);
    expect(bandOf('trust_index', strongIndex)).toBe('strong');
    expect(bandOf('trust_index', strongIndex - 1e-9)).toBe('fine');
    expect(bandOf('trust_index', trustIndex(4.5, 4.5, 4.5, 3.5))).toBe('fine');
    expect(bandOf('trust_index', 3)).toBe('needs-attention'); // all neutral
  });

  it('is monotone in favourability: a more favourable mean is never in a worse band', () => {
    const rank = { 'needs-attention': 0, fine: 1, strong: 2 } as const;
    fc.assert(
      fc.property(fc.constantFrom(...scaleDims), mean17, mean17, (dim, a, b) => {
        const [lo, hi] = favourability(dim, a) <= favourability(dim, b) ? [a, b] : [b, a];
        return rank[bandOf(dim, lo)] <= rank[bandOf(dim, hi)];
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: TRUST_INDEX.min, max: TRUST_INDEX.max, noNaN: true }), (v) => {
        const band = bandOf('trust_index', v);
        return (
          (band === 'strong') === v >= TRUST_INDEX_BANDS.strong &&
          (band === 'needs-attention') === v < TRUST_INDEX_BANDS.needsAttentionBelow
        );
      }),
    );
    expect(SCALE_BANDS.strong).toBeGreaterThan(SCALE_BANDS.needsAttentionBelow);
  });
});

describe('favourable answers', () => {
  it('counts 5–7 after reverse-scoring, and 1–3 for self-orientation', () => {
    const ps = currentInstrument('psych-safety');
    const te = currentInstrument('trust-equation');
    const ps1 = ps.items.find((i) => i.id === 'ps1')!; // reversed: "mistakes are held against me"
    const ps2 = ps.items.find((i) => i.id === 'ps2')!;
    const so1 = te.items.find((i) => i.id === 'so1')!; // "take credit for work others did"
    // Which raw answers 1–7 count as favourable, as a string: F favourable, . not.
    const pattern = (instrument: typeof ps, item: typeof ps1) =>
      [1, 2, 3, 4, 5, 6, 7].map((a) => (isFavourableAnswer(instrument, item, a) ? 'F' : '.')).join('');
    expect(pattern(ps, ps1)).toBe('FFF....');
    expect(pattern(ps, ps2)).toBe('....FFF');
    expect(pattern(te, so1)).toBe('FFF....');
    expect(() => isFavourableAnswer(ps, ps2, 0)).toThrow(RangeError);
    expect(() => isFavourableAnswer(ps, ps2, 4.5)).toThrow(RangeError);
  });

  it('for every item and answer: favourable exactly when the answer pulls its dimension’s favourability above neutral by at least one point', () => {
    for (const instrument of INSTRUMENTS) {
      for (const item of instrument.items) {
        const dim = itemDimension(instrument, item);
        for (let answer = 1; answer <= 7; answer++) {
          const fav = favourability(dim, itemScore(item, answer));
          expect(isFavourableAnswer(instrument, item, answer)).toBe(fav >= 5);
        }
      }
    }
  });

  it('the favourable count of an item’s answer counts equals the count of favourable answers one by one', () => {
    const te = currentInstrument('trust-equation');
    fc.assert(
      fc.property(
        fc.constantFrom(...INSTRUMENTS),
        fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 40 }),
        fc.nat(),
        (instrument, answers, pick) => {
          const item = instrument.items[pick % instrument.items.length]!;
          const counts = [1, 2, 3, 4, 5, 6, 7].map((a) => answers.filter((x) => x === a).length);
          const { favourable, total } = favourableCount(instrument, item, counts);
          return (
            total === answers.length &&
            favourable === answers.filter((a) => isFavourableAnswer(instrument, item, a)).length
          );
        },
      ),
    );
    expect(() => favourableCount(te, te.items[0]!, [1, 2, 3])).toThrow(RangeError);
    expect(() => favourableCount(te, te.items[0]!, [1, 2, 3, 4, 5, 6, -1])).toThrow(RangeError);
  });

  it('an all-favourable response is in the strong band on every dimension', () => {
    for (const instrument of INSTRUMENTS) {
      const answers: Answers = {};
      for (const item of instrument.items) {
        // The most favourable raw answer for the item.
        answers[item.id] = [7, 1].find(
          (a) =>
            isFavourableAnswer(instrument, item, a) &&
            favourability(itemDimension(instrument, item), itemScore(item, a)) === 7,
        )!;
      }
      const scored = scoreResponse(instrument, answers);
      for (const [dim, value] of Object.entries(scored.dimensions)) expect(bandOf(dim, value)).toBe('strong');
    }
  });
});
