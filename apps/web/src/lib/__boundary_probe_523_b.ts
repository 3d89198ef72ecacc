import { a } from './__boundary_probe_523_a';
export const b = (): number => (a.length > 1 ? 0 : 1);
