import { currentInstrument } from '@candor/instruments';
import { INSTRUMENT_NAME, INSTRUMENT_OPTIONS, instrumentFor, surveyIntro, surveyTitle } from './survey-text';

describe('survey wording', () => {
  it('names each survey once, and offers them in the order of the instrument ids', () => {
    expect(INSTRUMENT_NAME['psych-safety']).toBe('Psychological safety');
    expect(INSTRUMENT_OPTIONS).toEqual([
      { value: 'psych-safety', label: 'Psychological safety' },
      { value: 'trust-equation', label: 'Trust' },
    ]);
  });

  it('finds the instrument of an open survey by its version, and nothing for one it does not know', () => {
    expect(instrumentFor({ instrument: 'psych-safety@1' })?.id).toBe('psych-safety');
    expect(instrumentFor({ instrument: 'psych-safety@99' })).toBeNull();
  });

  it('titles the trust survey by whom it is about', () => {
    const trust = currentInstrument('trust-equation');
    expect(surveyTitle(trust, 'lead')).toBe('Trust in our tech lead');
    expect(surveyTitle(trust, 'team')).toBe('Trust within the team');
    expect(surveyTitle(trust, null)).toBe('Trust within the team');
    const psych = currentInstrument('psych-safety');
    expect(surveyTitle(psych, 'lead')).toBe(psych.title);
  });

  it('fills the trust subject into the intro', () => {
    const trust = currentInstrument('trust-equation');
    expect(surveyIntro(trust, 'lead')).not.toBe(surveyIntro(trust, 'team'));
    expect(surveyIntro(trust, 'lead')).toMatch(/tech lead/);
  });
});
