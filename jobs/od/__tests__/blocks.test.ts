import { blockAt, blockWindow } from '../../../lib/domain/od';
import { nextDueAt } from '../odMatrix';

const TZ = 'Europe/Amsterdam';
const iso = (d: Date) => d.toISOString();

describe('four-hour blocks', () => {
  it('spans midnight with 22-02, which belongs to the day it starts on', () => {
    const w = blockWindow(TZ, '2026-06-10', 5);
    expect([iso(w.start), iso(w.end)]).toEqual([
      '2026-06-10T20:00:00.000Z',
      '2026-06-11T00:00:00.000Z',
    ]);
    expect(w.weekday).toBe(3);
    // 01:30 local on 11 June is still the 22-02 block of 10 June.
    expect(blockAt(TZ, new Date('2026-06-10T23:30:00Z'))).toMatchObject({
      localDate: '2026-06-10',
      block: 5,
    });
    expect(blockAt(TZ, new Date('2026-06-11T00:00:00Z'))).toMatchObject({
      localDate: '2026-06-11',
      block: 0,
    });
  });

  it('gives the night clocks go forward a three-hour 02-06 block', () => {
    const night = blockWindow(TZ, '2026-03-28', 5);
    const early = blockWindow(TZ, '2026-03-29', 0);
    expect([iso(night.start), iso(night.end)]).toEqual([
      '2026-03-28T21:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
    ]);
    expect([iso(early.start), iso(early.end)]).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T04:00:00.000Z',
    ]);
  });

  it('gives the night clocks go back a five-hour 02-06 block, each instant in exactly one block', () => {
    const early = blockWindow(TZ, '2026-10-25', 0);
    expect([iso(early.start), iso(early.end)]).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T05:00:00.000Z',
    ]);
    // 02:30 happens twice that night (00:30Z summer time, 01:30Z winter time): both in 02-06.
    expect(blockAt(TZ, new Date('2026-10-25T00:30:00Z')).block).toBe(0);
    expect(blockAt(TZ, new Date('2026-10-25T01:30:00Z')).block).toBe(0);
    for (
      let t = Date.parse('2026-10-23T00:00:00Z');
      t < Date.parse('2026-10-27T00:00:00Z');
      t += 15 * 60_000
    ) {
      const w = blockAt(TZ, new Date(t));
      expect(w.start.getTime() <= t && t < w.end.getTime()).toBe(true);
    }
  });

  it('follows another time zone when a municipality has one', () => {
    const w = blockWindow('Europe/Lisbon', '2026-06-10', 1);
    expect(iso(w.start)).toBe('2026-06-10T05:00:00.000Z');
  });

  it('is recomputed 1, 3, 7 and 30 days after it ended, then never', () => {
    const end = Date.parse('2026-06-10T12:00:00Z');
    const day = 24 * 3600_000;
    expect(nextDueAt(end, end + 3600_000)?.getTime()).toBe(end + day);
    expect(nextDueAt(end, end + day)?.getTime()).toBe(end + 3 * day);
    expect(nextDueAt(end, end + 8 * day)?.getTime()).toBe(end + 30 * day);
    expect(nextDueAt(end, end + 30 * day)).toBeNull();
  });
});
