import fc from 'fast-check';
import {
  AGREEMENT_LABELS,
  currentInstrument,
  getInstrument,
  INSTRUMENTS,
  isInstrumentVersion,
  itemText,
  scoreResponse,
  TRUST_INDEX,
  trustIndex,
  validateAnswers,
  type Answers,
  type Instrument,
} from '@candor/instruments';

const answersArb = (instrument: Instrument) =>
  fc.record(
    Object.fromEntries(instrument.items.map((i) => [i.id, fc.integer({ min: 1, max: 7 })])),
  ) as fc.Arbitrary<Answers>;

describe('psych-safety@1', () => {
  const ps = getInstrument('psych-safety@1');

  it('has the 7 items of Edmondson’s structure, 1, 3 and 5 negatively worded', () => {
    expect(ps.items.map((i) => i.id)).toEqual(['ps1', 'ps2', 'ps3', 'ps4', 'ps5', 'ps6', 'ps7']);
    expect(ps.items.filter((i) => i.reverse).map((i) => i.id)).toEqual(['ps1', 'ps3', 'ps5']);
    expect(AGREEMENT_LABELS).toHaveLength(7);
  });

  it('reverse-scores items 1, 3 and 5 (8 − x) and averages the seven', () => {
    const scored = scoreResponse(ps, { ps1: 1, ps2: 7, ps3: 2, ps4: 6, ps5: 3, ps6: 5, ps7: 4 });
    expect(scored.items).toEqual({ ps1: 7, ps2: 7, ps3: 6, ps4: 6, ps5: 5, ps6: 5, ps7: 4 });
    expect(scored.dimensions.psych_safety).toBeCloseTo(40 / 7, 12);
    expect(scored.total).toBe(40);
  });

  it('keeps every score within 1–7 for every possible answer set', () => {
    fc.assert(
      fc.property(answersArb(ps), (answers) => {
        const s = scoreResponse(ps, answers);
        return (
          s.dimensions.psych_safety! >= 1 && s.dimensions.psych_safety! <= 7 && s.total >= 7 && s.total <= 49
        );
      }),
    );
  });
});

describe('trust-equation@1', () => {
  const te = currentInstrument('trust-equation');

  it('has at least 3 items per component', () => {
    for (const c of ['credibility', 'reliability', 'intimacy', 'self_orientation']) {
      expect(te.items.filter((i) => i.component === c).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('scores each component as the mean of its items', () => {
    const answers: Answers = {
      cr1: 7,
      cr2: 6,
      cr3: 5,
      re1: 4,
      re2: 4,
      re3: 4,
      in1: 3,
      in2: 2,
      in3: 1,
      so1: 2,
      so2: 3,
      so3: 4,
    };
    expect(scoreResponse(te, answers).dimensions).toEqual({
      credibility: 6,
      reliability: 4,
      intimacy: 2,
      self_orientation: 3,
    });
  });

  it('puts the trust index between 3/7 and 21 for every answer set', () => {
    fc.assert(
      fc.property(answersArb(te), (answers) => {
        const d = scoreResponse(te, answers).dimensions;
        const index = trustIndex(d.credibility!, d.reliability!, d.intimacy!, d.self_orientation!);
        return index >= TRUST_INDEX.min - 1e-12 && index <= TRUST_INDEX.max + 1e-12;
      }),
    );
    expect(trustIndex(1, 1, 1, 7)).toBeCloseTo(3 / 7, 12);
    expect(trustIndex(7, 7, 7, 1)).toBe(21);
  });

  it('words the items for the chosen subject', () => {
    const cr1 = te.items.find((i) => i.id === 'cr1')!;
    const so3 = te.items.find((i) => i.id === 'so3')!;
    expect(itemText(cr1, 'team')).toBe('People on this team explain the reasoning behind their decisions.');
    expect(itemText(cr1, 'lead')).toBe('Our tech lead explains the reasoning behind their decisions.');
    expect(itemText(so3, 'lead')).toBe(
      'Our tech lead does not change their mind even when the evidence says they should.',
    );
    for (const item of te.items) expect(itemText(item, 'lead')).not.toMatch(/\{|\}/);
  });
});

describe('validateAnswers', () => {
  const ps = getInstrument('psych-safety@1');
  const good: Answers = { ps1: 1, ps2: 2, ps3: 3, ps4: 4, ps5: 5, ps6: 6, ps7: 7 };

  it('accepts a complete set of whole answers on the scale', () => {
    expect(validateAnswers(ps, good)).toEqual([]);
  });

  it('names each bad, missing or unknown field', () => {
    expect(validateAnswers(ps, { ...good, ps1: 0, ps2: 8, ps3: 2.5, ps4: '4', ps5: null, extra: 1 })).toEqual(
      [
        { field: 'answers.extra', message: 'unknown item for psych-safety@1' },
        { field: 'answers.ps1', message: 'must be a whole number from 1 to 7' },
        { field: 'answers.ps2', message: 'must be a whole number from 1 to 7' },
        { field: 'answers.ps3', message: 'must be a whole number from 1 to 7' },
        { field: 'answers.ps4', message: 'must be a whole number from 1 to 7' },
        { field: 'answers.ps5', message: 'is required' },
      ],
    );
    const { ps7: _omitted, ...missing } = good;
    expect(validateAnswers(ps, missing)).toEqual([{ field: 'answers.ps7', message: 'is required' }]);
    expect(validateAnswers(ps, [1, 2])).toEqual([
      { field: 'answers', message: 'answers must be an object of item id → answer' },
    ]);
    // A JSON "__proto__" key is an own, unknown key; it never supplies answers through the prototype.
    const proto = validateAnswers(ps, JSON.parse('{"__proto__": {"ps1": 1}}'));
    expect(proto).toContainEqual({ field: 'answers.__proto__', message: 'unknown item for psych-safety@1' });
    expect(proto.filter((p) => p.message === 'is required')).toHaveLength(7);
  });
});

describe('registry', () => {
  it('knows exactly the versioned instruments', () => {
    expect(INSTRUMENTS.map((i) => i.key)).toEqual(['psych-safety@1', 'trust-equation@1']);
    expect(isInstrumentVersion('psych-safety@1')).toBe(true);
    expect(isInstrumentVersion('psych-safety@2')).toBe(false);
    expect(isInstrumentVersion('toString')).toBe(false);
    expect(() => getInstrument('nope@1' as never)).toThrow(/Unknown instrument/);
  });
});
