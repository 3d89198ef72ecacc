import { b } from './__boundary_probe_523_b';
export const a = (): number => b() + 1;
