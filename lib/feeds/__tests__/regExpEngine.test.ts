import { randomUUID } from 'node:crypto';
import { regExpEngine } from '../regExpEngine';

const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

describe('regExpEngine', () => {
  it('answers the UUID pattern as the RegExp does', () => {
    const fast = regExpEngine(UUID_PATTERN, 'u');
    const slow = new RegExp(UUID_PATTERN, 'u');
    const id = randomUUID();
    const samples = [
      id,
      id.toUpperCase(),
      `${id}0`,
      id.slice(1),
      id.replace(/-/g, 'a'),
      id.replace('-', '_'),
      `${id.slice(0, 35)}g`,
      `/${id.slice(1)}`,
      `:${id.slice(1)}`,
      `\`${id.slice(1)}`,
      '',
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
    ];
    for (const sample of samples)
      expect([sample, fast.test(sample)]).toEqual([sample, slow.test(sample)]);
    expect(fast.test(id)).toBe(true);
  });

  it('compiles every other pattern as a RegExp', () => {
    const engine = regExpEngine('^[A-Z]{2}$', 'u');
    expect(engine).toBeInstanceOf(RegExp);
    expect(engine.test('NL')).toBe(true);
    expect(engine.test('nl')).toBe(false);
  });
});
