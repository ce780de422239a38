import { ManualClock, SystemClock } from '../../../lib/local/clock';

describe('clocks', () => {
  test('manual clock fires timers in time order, then insertion order, and skips cancelled ones', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push('c'));
    clock.setTimer(100, () => fired.push('a'));
    clock.setTimer(100, () => fired.push('b'));
    clock.setTimer(200, () => fired.push('x')).cancel();
    await clock.advance(250);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(250);
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(50);
    expect(fired).toEqual(['a', 'b', 'c']);
  });

  test('a timer set by a timer fires in the same advance when due', async () => {
    const clock = new ManualClock(0);
    const at: number[] = [];
    clock.setTimer(10, () => clock.setTimer(10, () => at.push(clock.now())));
    await clock.advance(30);
    expect(at).toEqual([20]);
  });

  test('system clock with a time scale fires timers sooner and advances now() faster', async () => {
    const clock = new SystemClock(100);
    const start = clock.now();
    const wallStart = Date.now();
    await new Promise<void>((resolve) => clock.setTimer(10_000, resolve));
    const wall = Date.now() - wallStart;
    expect(wall).toBeGreaterThanOrEqual(90);
    expect(wall).toBeLessThan(2000);
    expect(clock.now() - start).toBeGreaterThanOrEqual(9000);
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('time scale %p is rejected', (scale) => {
    expect(() => new SystemClock(scale)).toThrow(/timeScale must be a positive number/);
  });
});
