/** Titles and wording derived from an open survey (instrument version + trust subject). */
import { INSTRUMENT_IDS, type InstrumentId, type OpenSurvey, type TrustSubject } from '@candor/contracts';
import { getInstrument, isInstrumentVersion, itemText, type Instrument } from '@candor/instruments';

export function instrumentFor(survey: Pick<OpenSurvey, 'instrument'>): Instrument | null {
  return isInstrumentVersion(survey.instrument) ? getInstrument(survey.instrument) : null;
}

export function surveyTitle(instrument: Instrument, subject: TrustSubject | null): string {
  if (instrument.id !== 'trust-equation') return instrument.title;
  return subject === 'lead' ? 'Trust in our tech lead' : 'Trust within the team';
}

/** Instrument intro with the trust subject filled in ("Think about our tech lead …"). */
export function surveyIntro(instrument: Instrument, subject: TrustSubject | null): string {
  return itemText({ id: 'intro', text: instrument.intro, reverse: false }, subject);
}

/** The short name of each survey in lists, tables, pickers and messages. */
export const INSTRUMENT_NAME: Record<InstrumentId, string> = {
  'psych-safety': 'Psychological safety',
  'trust-equation': 'Trust',
};

/** The surveys as picker options, in the order of INSTRUMENT_IDS. */
export const INSTRUMENT_OPTIONS = INSTRUMENT_IDS.map((value) => ({ value, label: INSTRUMENT_NAME[value] }));
