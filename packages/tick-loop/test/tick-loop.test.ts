import { describe, expect, it } from 'vitest';
import { startRunner, startTickLoop } from '../src/index.js';

describe('startTickLoop', () => {
  it('runs exactly maxTicks ticks, one at a time, numbered from 1', async () => {
    const seen: number[] = [];
    let running = 0;
    let overlapped = false;
    await startTickLoop({ periodS: 0.5, speed: Infinity, maxTicks: 5 }, async (n) => {
      running += 1;
      if (running > 1) overlapped = true;
      await new Promise((r) => setTimeout(r, 2));
      seen.push(n);
      running -= 1;
    }, () => {}).done;
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(overlapped).toBe(false);
  });

  it('keeps going after a tick throws, and hands the error over', async () => {
    const errors: string[] = [];
    let ticks = 0;
    await startTickLoop({ periodS: 1, speed: Infinity, maxTicks: 3 }, async (n) => {
      ticks += 1;
      if (n === 2) throw new Error('store busy');
    }, (e) => errors.push(e.message)).done;
    expect(ticks).toBe(3);
    expect(errors).toEqual(['store busy']);
  });

  it("stops when a tick says 'stop', on stop(), and never starts with an aborted signal", async () => {
    let ticks = 0;
    await startTickLoop({ periodS: 1, speed: Infinity }, async () => (++ticks === 2 ? 'stop' : undefined), () => {}).done;
    expect(ticks).toBe(2);

    let slow = 0;
    const loop = startTickLoop({ periodS: 60, speed: 1 }, async () => {
      slow += 1;
    }, () => {});
    await new Promise((r) => setTimeout(r, 20));
    await loop.stop(); // wakes the 60 s wait instead of sleeping through it
    expect(slow).toBe(1);

    const aborted = new AbortController();
    aborted.abort();
    let none = 0;
    await startTickLoop({ periodS: 1, speed: 1, signal: aborted.signal }, async () => {
      none += 1;
    }, () => {}).done;
    expect(none).toBe(0);
  });

  it('refuses a period or speed that is not positive', () => {
    expect(() => startTickLoop({ periodS: 0, speed: 1 }, async () => {}, () => {})).toThrow(/periodS must be a finite number > 0/);
    expect(() => startTickLoop({ periodS: 0.5, speed: -1 }, async () => {}, () => {})).toThrow(/speed > 0/);
  });
});

describe('startRunner', () => {
  it('resolves done and stop() with a snapshot of the stats the tick keeps', async () => {
    const stats = { ticks: 0, commits: 0, errors: 0 };
    const runner = startRunner({ periodS: 0.5, speed: Infinity, maxTicks: 4 }, stats, async () => {
      stats.ticks += 1;
      stats.commits += 1;
    }, () => {});
    const final = await runner.done;
    expect(final).toEqual({ ticks: 4, commits: 4, errors: 0 });
    stats.ticks = 99;
    expect(final.ticks).toBe(4);
  });
});
