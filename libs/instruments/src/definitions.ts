/**
 * The two Candor instruments, versioned. Pure definitions and scoring: no I/O.
 *
 * A response always records the instrument version it answered; a new wording is a new version.
 */
import type { GoodDirection, InstrumentId, InstrumentVersion, TrustSubject } from '@candor/contracts';

export type { GoodDirection };

export const SCALE_MIN = 1;
export const SCALE_MAX = 7;

/** Labels of the 1–7 agreement scale, index 0 = 1. */
export const AGREEMENT_LABELS = [
  'Strongly disagree',
  'Disagree',
  'Somewhat disagree',
  'Neither agree nor disagree',
  'Somewhat agree',
  'Agree',
  'Strongly agree',
] as const;

export type TrustComponent = 'credibility' | 'reliability' | 'intimacy' | 'self_orientation';

export interface Item {
  id: string;
  /** Wording; `{subject}` is replaced for the trust equation ("people on this team" / "our tech lead"). */
  text: string;
  /** Negatively worded: scored as 8 − answer. */
  reverse: boolean;
  component?: TrustComponent;
}

export interface Dimension {
  id: string;
  label: string;
  min: number;
  max: number;
  /** Which way is good. Colours, arrows, sorting and words follow it (favourability.ts). */
  goodDirection: GoodDirection;
}

export interface Instrument {
  id: InstrumentId;
  version: number;
  key: InstrumentVersion;
  title: string;
  intro: string;
  items: readonly Item[];
  /** Per-response dimensions, each the mean of some items on the 1–7 scale. */
  responseDimensions: readonly Dimension[];
  /** The headline dimension charted on trends. */
  headline: string;
  /** The optional open question asked after the items (comments, docs/adr/0012). */
  openQuestion: string;
}

const psychSafetyV1: Instrument = {
  id: 'psych-safety',
  version: 1,
  key: 'psych-safety@1',
  openQuestion: 'What is one thing that would make it safer to speak up on this team?',
  title: 'Psychological safety',
  intro: 'Think about working on this team over the last few weeks.',
  items: [
    { id: 'ps1', text: 'If I make a mistake on this team, it is often held against me.', reverse: true },
    {
      id: 'ps2',
      text: 'People on this team are able to bring up problems and tough issues.',
      reverse: false,
    },
    { id: 'ps3', text: 'People on this team sometimes reject others for being different.', reverse: true },
    { id: 'ps4', text: 'It is safe to take a risk on this team.', reverse: false },
    { id: 'ps5', text: 'It is difficult to ask other people on this team for help.', reverse: true },
    {
      id: 'ps6',
      text: 'No one on this team would deliberately act in a way that undermines my efforts.',
      reverse: false,
    },
    {
      id: 'ps7',
      text: 'Working with people on this team, my unique skills and talents are valued and used.',
      reverse: false,
    },
  ],
  responseDimensions: [
    {
      id: 'psych_safety',
      label: 'Psychological safety',
      min: SCALE_MIN,
      max: SCALE_MAX,
      goodDirection: 'higher',
    },
  ],
  headline: 'psych_safety',
};

const trustEquationV1: Instrument = {
  id: 'trust-equation',
  version: 1,
  key: 'trust-equation@1',
  openQuestion: 'What is one thing that would make this team better?',
  title: 'Trust',
  intro: 'Think about {subject} over the last few weeks.',
  items: [
    {
      id: 'cr1',
      component: 'credibility',
      reverse: false,
      text: '{Subject} explain the reasoning behind their decisions.',
    },
    {
      id: 'cr2',
      component: 'credibility',
      reverse: false,
      text: '{Subject} say so when they do not know something.',
    },
    {
      id: 'cr3',
      component: 'credibility',
      reverse: false,
      text: '{Subject} contribute real work, not just opinions.',
    },
    {
      id: 're1',
      component: 'reliability',
      reverse: false,
      text: '{Subject} do what they say, when they say they will.',
    },
    {
      id: 're2',
      component: 'reliability',
      reverse: false,
      text: '{Subject} warn early when something they own is going to slip.',
    },
    {
      id: 're3',
      component: 'reliability',
      reverse: false,
      text: 'I can count on {subject} to follow through.',
    },
    {
      id: 'in1',
      component: 'intimacy',
      reverse: false,
      text: 'I can be candid with {subject} about things that are going wrong.',
    },
    { id: 'in2', component: 'intimacy', reverse: false, text: '{Subject} keep confidences.' },
    { id: 'in3', component: 'intimacy', reverse: false, text: '{Subject} care about my growth.' },
    {
      id: 'so1',
      component: 'self_orientation',
      reverse: false,
      text: '{Subject} take credit for work others did.',
    },
    {
      id: 'so2',
      component: 'self_orientation',
      reverse: false,
      text: '{Subject} put their own recognition before the team’s success.',
    },
    {
      id: 'so3',
      component: 'self_orientation',
      reverse: false,
      text: '{Subject} do not change their mind even when the evidence says they should.',
    },
  ],
  responseDimensions: [
    { id: 'credibility', label: 'Credibility', min: SCALE_MIN, max: SCALE_MAX, goodDirection: 'higher' },
    { id: 'reliability', label: 'Reliability', min: SCALE_MIN, max: SCALE_MAX, goodDirection: 'higher' },
    { id: 'intimacy', label: 'Intimacy', min: SCALE_MIN, max: SCALE_MAX, goodDirection: 'higher' },
    // "Takes credit", "puts own recognition first": the less of it, the more trust.
    {
      id: 'self_orientation',
      label: 'Self-orientation',
      min: SCALE_MIN,
      max: SCALE_MAX,
      goodDirection: 'lower',
    },
  ],
  headline: 'trust_index',
};

/** The trust index is an aggregate-level ratio, never a per-response value. */
export const TRUST_INDEX: Dimension = {
  id: 'trust_index',
  label: 'Trust index',
  min: 3 / 7,
  max: 21,
  goodDirection: 'higher',
};

const registry: Record<InstrumentVersion, Instrument> = {
  [psychSafetyV1.key]: psychSafetyV1,
  [trustEquationV1.key]: trustEquationV1,
};

export const INSTRUMENTS: readonly Instrument[] = Object.values(registry);

/** The version new cycles use. */
export const CURRENT_VERSION: Record<InstrumentId, InstrumentVersion> = {
  'psych-safety': 'psych-safety@1',
  'trust-equation': 'trust-equation@1',
};

export function isInstrumentVersion(value: unknown): value is InstrumentVersion {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(registry, value);
}

export function getInstrument(key: InstrumentVersion): Instrument {
  const instrument = registry[key];
  if (!instrument) throw new Error(`Unknown instrument version ${key}`);
  return instrument;
}

export function currentInstrument(id: InstrumentId): Instrument {
  return getInstrument(CURRENT_VERSION[id]);
}

export const TRUST_SUBJECT_TEXT: Record<TrustSubject, { subject: string; Subject: string }> = {
  team: { subject: 'people on this team', Subject: 'People on this team' },
  lead: { subject: 'our tech lead', Subject: 'Our tech lead' },
};

/** Item wording with the trust subject filled in. */
export function itemText(item: Item, subject: TrustSubject | null): string {
  const words = TRUST_SUBJECT_TEXT[subject ?? 'team'];
  let text = item.text.replaceAll('{Subject}', words.Subject).replaceAll('{subject}', words.subject);
  if (subject === 'lead') {
    // "Our tech lead explain" → "Our tech lead explains": conjugate the verb after a singular subject.
    text = text.replace(/^Our tech lead (\w+)/, (_m, verb: string) => `Our tech lead ${singular(verb)}`);
  }
  return text;
}

function singular(verb: string): string {
  const irregular: Record<string, string> = { do: 'does', say: 'says', are: 'is', have: 'has' };
  if (irregular[verb]) return irregular[verb];
  if (/(s|sh|ch|x|z)$/.test(verb)) return `${verb}es`;
  return `${verb}s`;
}

export type Answers = Record<string, number>;

export interface AnswerProblem {
  field: string;
  message: string;
}

/**
 * Checks that `answers` has exactly the instrument's items, each an integer on the scale.
 * Returns field-level problems; an empty list means valid.
 */
export function validateAnswers(instrument: Instrument, answers: unknown): AnswerProblem[] {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    return [{ field: 'answers', message: 'answers must be an object of item id → answer' }];
  }
  const problems: AnswerProblem[] = [];
  const known = new Set(instrument.items.map((i) => i.id));
  for (const key of Object.keys(answers)) {
    if (!known.has(key))
      problems.push({ field: `answers.${key}`, message: `unknown item for ${instrument.key}` });
  }
  const record = answers as Record<string, unknown>;
  for (const item of instrument.items) {
    const value = Object.prototype.hasOwnProperty.call(record, item.id) ? record[item.id] : undefined;
    if (value === undefined || value === null) {
      problems.push({ field: `answers.${item.id}`, message: 'is required' });
    } else if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < SCALE_MIN ||
      value > SCALE_MAX
    ) {
      problems.push({
        field: `answers.${item.id}`,
        message: `must be a whole number from ${SCALE_MIN} to ${SCALE_MAX}`,
      });
    }
  }
  return problems;
}

/** Item score after reverse-scoring (8 − x for negatively worded items). */
export function itemScore(item: Item, answer: number): number {
  return item.reverse ? SCALE_MIN + SCALE_MAX - answer : answer;
}

export interface ScoredResponse {
  /** item id → scored value (reverse applied) */
  items: Record<string, number>;
  /** response dimension id → mean of its items */
  dimensions: Record<string, number>;
  /** Sum of all item scores: the scale total used for Cronbach's α. */
  total: number;
}

/** Scores one validated response. */
export function scoreResponse(instrument: Instrument, answers: Answers): ScoredResponse {
  const items: Record<string, number> = {};
  let total = 0;
  for (const item of instrument.items) {
    const answer = answers[item.id];
    if (answer === undefined) throw new Error(`missing answer for ${item.id}`);
    const score = itemScore(item, answer);
    items[item.id] = score;
    total += score;
  }
  const dimensions: Record<string, number> = {};
  for (const dim of instrument.responseDimensions) {
    const members =
      instrument.id === 'psych-safety'
        ? instrument.items
        : instrument.items.filter((i) => i.component === dim.id);
    dimensions[dim.id] = members.reduce((acc, i) => acc + (items[i.id] ?? 0), 0) / members.length;
  }
  return { items, dimensions, total };
}

/** Trust = (C + R + I) / S, from component means. Range 3/7 … 21. */
export function trustIndex(
  credibility: number,
  reliability: number,
  intimacy: number,
  selfOrientation: number,
): number {
  return (credibility + reliability + intimacy) / selfOrientation;
}
