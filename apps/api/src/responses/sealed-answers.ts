import { getInstrument, type Instrument } from '@candor/instruments';
import type { InstrumentVersion } from '@candor/contracts';

/** The `purpose` of sealed answers (AAD), see SealingService. */
export const ANSWERS_PURPOSE = 'answers';

/**
 * A response's answers as sealed: one byte per item (every answer is an integer 1–7), in the
 * instrument's item order. Every response of an instrument has the same length, which is also
 * the padded length, so a sealed blob's size says nothing about its answers.
 */
export function encodeAnswers(instrument: Instrument, answers: Record<string, number>): Buffer {
  return Buffer.from(instrument.items.map((item) => answers[item.id] as number));
}

/** The padded length of an instrument's sealed answers: its largest possible plaintext. */
export function answersPadLength(instrument: Instrument): number {
  return instrument.items.length;
}

/** The answers as `response.answers` holds them (items in instrument order). */
export function decodeAnswers(version: InstrumentVersion, plaintext: Buffer): Record<string, number> {
  const items = getInstrument(version).items;
  if (plaintext.length !== items.length) throw new Error('sealed answers do not match the instrument');
  return Object.fromEntries(items.map((item, i) => [item.id, plaintext[i] as number]));
}
