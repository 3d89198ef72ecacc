/** Titles and wording derived from an open survey (instrument version + trust subject). */
import type { OpenSurvey, TrustSubject } from '@candor/contracts';
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
