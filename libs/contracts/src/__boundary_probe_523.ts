import type { InstrumentId } from './index';
export type Probe = InstrumentId;
