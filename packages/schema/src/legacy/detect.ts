const TRAIN_KEY = /^(?:train[ _-]?)?\d+$/i;

/** True when an object has the shape of a pre-schema team file: `train_N` / `Train N` keys and no schemaVersion. */
export function looksLegacy(value: object): boolean {
  const keys = Object.keys(value);
  if ('schemaVersion' in value) return false;
  return keys.length === 0 || keys.some((k) => TRAIN_KEY.test(k.trim())) || keys.some((k) => ['specs', 'inputs', 'outputs'].includes(k));
}

export { TRAIN_KEY as LEGACY_TRAIN_KEY };
