import { x } from '@candor/stats';
test('x', () => expect(x).toBe(1));
