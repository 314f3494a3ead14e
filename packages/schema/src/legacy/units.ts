/**
 * Units recognised in legacy key suffixes, and their exact conversion to SI.
 * Factors are the exact international definitions (NIST SP 811 / the 1959 international yard and
 * pound): 1 yd = 0.9144 m, 1 ft = 0.3048 m, 1 mi = 1609.344 m (so 1 mph = 0.44704 m/s),
 * 1 lb = 0.45359237 kg, 1 hp (mechanical) = 745.699872 W, °C = (°F − 32) × 5/9.
 */
export type Quantity = 'speed' | 'length' | 'acceleration' | 'mass' | 'power' | 'temperature' | 'time';

export type UnitSystem = 'imperial' | 'si';

export interface Unit {
  /** Printed symbol, e.g. `mph`. */
  symbol: string;
  quantity: Quantity;
  /** Which legacy family the unit betrays; `undefined` for units both families use (W, s). */
  system: UnitSystem | undefined;
  /** The conversion as a person would check it, e.g. `× 0.44704`. */
  formula: string;
  toSi(value: number): number;
}

const MPH_TO_MPS = 0.44704;
const YD_TO_M = 0.9144;
const FT_TO_M = 0.3048;
const LB_TO_KG = 0.45359237;
const HP_TO_W = 745.699872;

function scale(symbol: string, quantity: Quantity, system: UnitSystem | undefined, factor: number): Unit {
  return {
    symbol,
    quantity,
    system,
    formula: factor === 1 ? 'already SI' : `× ${factor}`,
    toSi: (v) => (factor === 1 ? v : v * factor),
  };
}

const FAHRENHEIT: Unit = {
  symbol: '°F',
  quantity: 'temperature',
  system: 'imperial',
  formula: '(°F − 32) × 5/9',
  toSi: (v) => ((v - 32) * 5) / 9,
};

/** Key suffix (normalised, lower case) → unit. */
const UNITS: ReadonlyMap<string, Unit> = new Map<string, Unit>([
  ['mph', scale('mph', 'speed', 'imperial', MPH_TO_MPS)],
  ['ftps', scale('ft/s', 'speed', 'imperial', FT_TO_M)],
  ['fps', scale('ft/s', 'speed', 'imperial', FT_TO_M)],
  ['mps', scale('m/s', 'speed', 'si', 1)],
  ['kmh', scale('km/h', 'speed', 'si', 1 / 3.6)],
  ['kph', scale('km/h', 'speed', 'si', 1 / 3.6)],
  ['yds', scale('yd', 'length', 'imperial', YD_TO_M)],
  ['yd', scale('yd', 'length', 'imperial', YD_TO_M)],
  ['yards', scale('yd', 'length', 'imperial', YD_TO_M)],
  ['ft', scale('ft', 'length', 'imperial', FT_TO_M)],
  ['feet', scale('ft', 'length', 'imperial', FT_TO_M)],
  ['m', scale('m', 'length', 'si', 1)],
  ['km', scale('km', 'length', 'si', 1000)],
  ['ftps2', scale('ft/s²', 'acceleration', 'imperial', FT_TO_M)],
  ['fps2', scale('ft/s²', 'acceleration', 'imperial', FT_TO_M)],
  ['mps2', scale('m/s²', 'acceleration', 'si', 1)],
  ['lbs', scale('lb', 'mass', 'imperial', LB_TO_KG)],
  ['lb', scale('lb', 'mass', 'imperial', LB_TO_KG)],
  ['kg', scale('kg', 'mass', 'si', 1)],
  ['tonnes', scale('t', 'mass', 'si', 1000)],
  ['hp', scale('hp', 'power', 'imperial', HP_TO_W)],
  ['w', scale('W', 'power', undefined, 1)],
  ['kw', scale('kW', 'power', 'si', 1000)],
  ['f', FAHRENHEIT],
  ['degf', FAHRENHEIT],
  ['c', scale('°C', 'temperature', 'si', 1)],
  ['degc', scale('°C', 'temperature', 'si', 1)],
  ['s', scale('s', 'time', undefined, 1)],
]);

/** SI unit symbol of each quantity, as the canonical schema stores it. */
export const SI_SYMBOL: Readonly<Record<Quantity, string>> = {
  speed: 'm/s',
  length: 'm',
  acceleration: 'm/s²',
  mass: 'kg',
  power: 'W',
  temperature: '°C',
  time: 's',
};

/** The unit named by a key suffix (`mph`, `yds`, `F`, …), or undefined. */
export function unitForSuffix(suffix: string): Unit | undefined {
  return UNITS.get(suffix.toLowerCase());
}

/**
 * Splits a normalised key into its base name and unit suffix: `velocity_mph` → velocity + mph.
 * A one-word key never loses its only word (`m` alone is a name, not metres).
 */
export function splitUnit(normalisedKey: string): { base: string; unit: Unit | undefined; suffix: string | undefined } {
  const at = normalisedKey.lastIndexOf('_');
  if (at <= 0) return { base: normalisedKey, unit: undefined, suffix: undefined };
  const suffix = normalisedKey.slice(at + 1);
  const unit = unitForSuffix(suffix);
  if (!unit) return { base: normalisedKey, unit: undefined, suffix: undefined };
  return { base: normalisedKey.slice(0, at), unit, suffix };
}
