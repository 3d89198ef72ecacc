import { Schedule } from '../surveys/survey.entities';
export const probe = Schedule;
