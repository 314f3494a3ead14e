/**
 * Deterministic passenger exchange at a station: no Math.random, so the same seed, station and
 * simulated time always give the same counts (reproducible runs and tests).
 */

/** FNV-1a hash of a string to an unsigned 32-bit integer. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A small 32-bit PRNG (xorshift32 after an integer mix), returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let x = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0) || 0x6d2b79f5;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

export interface PassengerExchange {
  alighting: number;
  boarding: number;
  /** Passengers on board afterwards, 0…capacity. */
  passengers: number;
}

/**
 * Who leaves and who boards when the doors open at `stationName` at simulated time `simTimeS`:
 * alighting uniform in 0…onBoard, then boarding uniform in 0…(free places), so the result never
 * exceeds `capacity`.
 */
export function exchangePassengers(
  onBoard: number,
  capacity: number,
  stationName: string,
  simTimeS: number,
  seed: number,
): PassengerExchange {
  const random = seededRandom(hashString(stationName) ^ Math.round(simTimeS * 1000) ^ seed);
  const current = Math.min(Math.max(onBoard, 0), capacity);
  const alighting = Math.floor(random() * (current + 1));
  const afterAlighting = current - alighting;
  const boarding = Math.floor(random() * (capacity - afterAlighting + 1));
  return { alighting, boarding, passengers: afterAlighting + boarding };
}
