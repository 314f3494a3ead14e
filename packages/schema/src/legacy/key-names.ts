/**
 * Legacy files spell one key several ways: `"commanded speed"`, `"Commanded Speed"`,
 * `commanded_speed`, `commandedSpeed`. Everything downstream compares the normalised form.
 */
export function normaliseKey(key: string): string {
  return key
    .trim()
    // camelCase / PascalCase word boundaries: velocityMph → velocity_Mph
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const LEGACY_TRAIN_ID = /^train[\s_-]*(\d{1,60})$|^(\d{1,60})$/i;

/**
 * Canonical id of a legacy train key: `train_1`, `Train 1`, `TRAIN-1` and `1` all become `train_1`.
 * Digits are kept as written (`train_01` stays `train_01`) so two distinct legacy keys never merge
 * silently. Returns undefined for a key that is not a train key.
 */
export function canonicalTrainId(key: string): string | undefined {
  const m = LEGACY_TRAIN_ID.exec(key.trim());
  if (!m) return undefined;
  return `train_${m[1] ?? m[2]}`;
}
