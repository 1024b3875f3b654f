import { BoundedLabel, OTHER_LABEL } from '../metrics';

describe('bounded labels', () => {
  it('keeps the first distinct values up to the cap and counts every later one as other', () => {
    const label = new BoundedLabel(3);
    expect(['a', 'b', 'a', 'c'].map((v) => label.value(v))).toEqual(['a', 'b', 'a', 'c']);
    expect(label.value('d')).toBe(OTHER_LABEL);
    expect(label.value('e')).toBe(OTHER_LABEL);
    // A value seen before the cap keeps its own series.
    expect(label.value('b')).toBe('b');
  });

  it('cuts long values, so one name cannot carry a payload', () => {
    const label = new BoundedLabel(10, 8);
    expect(label.value('x'.repeat(500))).toBe('xxxxxxxx');
    expect(label.value(`${'x'.repeat(8)}other`)).toBe('xxxxxxxx');
  });
});
