import { ReplayCache } from '../../src/chatops/replay';

// The Slack endpoint's replay cache: a verified signature accepted once within the five-minute window.

const T = 1_800_000_000;

describe('the replay cache', () => {
  it('accepts a signature once and refuses it again within the window', () => {
    // Prepare
    const cache = new ReplayCache(300);

    // Act
    const first = cache.accept('v0=aa', T, T);
    const again = cache.accept('v0=aa', T, T + 299);
    const other = cache.accept('v0=bb', T, T + 1);

    // Assert
    expect([first, again, other]).toEqual([true, false, true]);
  });

  it('forgets a signature once its timestamp has left the window (the signature check refuses it by then)', () => {
    // Prepare
    const cache = new ReplayCache(300);
    cache.accept('v0=aa', T, T);

    // Act
    const later = cache.accept('v0=aa', T, T + 301);

    // Assert
    expect(later).toBe(true);
    expect(cache.size).toBe(1);
  });

  it('keeps a future-dated request until the window after now has passed', () => {
    // Prepare: a timestamp 200 s ahead of the clock (still within the allowed skew)
    const cache = new ReplayCache(300);
    cache.accept('v0=aa', T + 200, T);

    // Act
    const replay = cache.accept('v0=aa', T + 200, T + 450);

    // Assert
    expect(replay).toBe(false);
  });

  it('stays bounded, dropping the oldest entries first', () => {
    // Prepare
    const cache = new ReplayCache(300, 3);

    // Act
    for (const s of ['a', 'b', 'c', 'd']) cache.accept(s, T, T);

    // Assert
    expect(cache.size).toBe(3);
    expect(cache.accept('a', T, T)).toBe(true);
    expect(cache.accept('d', T, T)).toBe(false);
  });
});
