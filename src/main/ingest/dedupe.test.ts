import { describe, expect, it } from 'vitest';
import { Deduplicator } from './dedupe';

describe('Deduplicator', () => {
  it('drops a repeated seq and counts gaps', () => {
    const d = new Deduplicator();
    expect(d.check('m', 1, undefined)).toEqual({ duplicate: false, missed: 0 });
    expect(d.check('m', 1, undefined).duplicate).toBe(true);
    expect(d.check('m', 5, undefined)).toEqual({ duplicate: false, missed: 3 });
    expect(d.check('m', 3, undefined)).toEqual({ duplicate: false, missed: 0 }); // late, not a duplicate
  });

  it('drops a repeated device timestamp when there is no seq', () => {
    const d = new Deduplicator();
    expect(d.check('m', undefined, 1000).duplicate).toBe(false);
    expect(d.check('m', undefined, 1000).duplicate).toBe(true);
    expect(d.check('other', undefined, 1000).duplicate).toBe(false);
  });

  it('keeps two readings stamped in the same millisecond when their seq differs', () => {
    const d = new Deduplicator();
    expect(d.check('m', 1, 1000).duplicate).toBe(false);
    expect(d.check('m', 2, 1000).duplicate).toBe(false);
    expect(d.check('m', 2, 1000).duplicate).toBe(true);
  });

  it('knows a late redelivery from a reboot: same seq and uptime is a resend, a new uptime is a new boot', () => {
    const d = new Deduplicator();
    for (let s = 0; s < 10; s++) d.check('m', s, undefined, 100 + s);
    expect(d.check('m', 3, undefined, 103).duplicate).toBe(true); // redelivered after later messages
    expect(d.check('m', 3, undefined, 0.3).duplicate).toBe(false); // the board restarted
  });

  it('never treats host-stamped messages without seq as duplicates', () => {
    const d = new Deduplicator();
    for (let i = 0; i < 5; i++) expect(d.check('m', undefined, undefined).duplicate).toBe(false);
  });

  it('starts over when a board reboots (uptime goes back, seq restarts)', () => {
    const d = new Deduplicator();
    for (let s = 0; s < 100; s++) d.check('m', s, undefined, s);
    expect(d.check('m', 0, undefined, 0.5)).toEqual({ duplicate: false, missed: 0 });
    expect(d.check('m', 1, undefined, 1.5).duplicate).toBe(false);
  });

  it('remembers a bounded window per board (the last 1,024 keys), so a board sending for hours holds no more than one sending for two minutes', () => {
    const d = new Deduplicator();
    // An hour at 10 Hz with a device timestamp; then the oldest kept key and the one before it are resent.
    const day = 36_000;
    for (let s = 0; s < day; s++) d.check('m', s, 1_000 * s, 5 + s / 10);
    expect(d.check('m', day - 1024, 1_000 * (day - 1024), 5 + (day - 1024) / 10).duplicate).toBe(true);
    expect(d.check('m', day - 1025, 1_000 * (day - 1025), 5 + (day - 1025) / 10).duplicate).toBe(false);
    for (let t = 0; t < 2_000; t++) d.check('no-seq', undefined, t);
    expect(d.check('no-seq', undefined, 2_000 - 1024).duplicate).toBe(true);
    expect(d.check('no-seq', undefined, 2_000 - 1025).duplicate).toBe(false);
  });

  it('tells resends from reboots while several boots share the same seqs, and forgets the keys that left the window', () => {
    const d = new Deduplicator();
    // Five boots, each sending seq 0-299 with its own uptimes: 1,500 keys, so the first boot's have left the window.
    for (let boot = 0; boot < 5; boot++) for (let s = 0; s < 300; s++) expect(d.check('m', s, undefined, boot * 1000 + s).duplicate).toBe(false);
    for (let boot = 2; boot < 5; boot++) expect(d.check('m', 7, undefined, boot * 1000 + 7).duplicate).toBe(true);
    expect(d.check('m', 7, undefined, 1007).duplicate).toBe(false); // boot 1's seq 7 is older than the last 1,024 keys
    expect(d.check('m', 7, undefined, 7).duplicate).toBe(false);
    expect(d.check('m', 7, undefined, 9999).duplicate).toBe(false);
  });
});
