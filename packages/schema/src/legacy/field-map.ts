import type { Quantity, UnitSystem } from './units.js';

/** The canonical train sections a legacy key can land in. */
export type TargetSection = 'specs' | 'model' | 'wayside' | 'controller';

/** How a legacy value is read before its range is checked against the schema. */
export type ValueKind = 'number' | 'integer' | 'boolean' | 'text' | 'station-side' | 'manual-flag' | 'mode' | 'gain';

export interface FieldTarget {
  section: TargetSection;
  /** Field inside the section; `failures.engine` for the nested failure flags. */
  field: string;
  kind: ValueKind;
  /** Physical quantity of a number, when it has a unit. */
  quantity?: Quantity;
  /** Unit suffix assumed for an unsuffixed key in an imperial file (defaults per quantity). */
  imperialSuffix?: string;
  /** Legacy files store brake rates negative; the schema stores magnitudes. */
  magnitude?: boolean;
  /** Said in the report whenever this mapping is used. */
  note?: string;
}

/** Where a key sits in the legacy train object decides which table it is looked up in. */
export type KeyContext = 'specs' | 'state';

const num = (section: TargetSection, field: string, quantity: Quantity, extra: Partial<FieldTarget> = {}): FieldTarget => ({
  section,
  field,
  kind: 'number',
  quantity,
  ...extra,
});
const bool = (section: TargetSection, field: string): FieldTarget => ({ section, field, kind: 'boolean' });
const text = (section: TargetSection, field: string): FieldTarget => ({ section, field, kind: 'text' });

const POSITION_NOTE =
  'legacy "position" is the distance travelled along the track, not the position inside a block: stored as model.distanceM';

function table(entries: Array<[string[], FieldTarget[]]>): ReadonlyMap<string, FieldTarget[]> {
  const map = new Map<string, FieldTarget[]>();
  for (const [names, targets] of entries) for (const name of names) map.set(name, targets);
  return map;
}

/** Keys of a train's running state (legacy `inputs` / `outputs` / top-level keys), by base name. */
export const STATE_FIELDS = table([
  [['velocity', 'train_velocity', 'speed', 'train_speed', 'current_speed', 'actual_speed', 'current_velocity', 'actual_velocity'], [num('model', 'speedMps', 'speed')]],
  [['acceleration', 'train_acceleration', 'accel'], [num('model', 'accelerationMps2', 'acceleration')]],
  [['position', 'train_position', 'distance', 'distance_travelled', 'distance_traveled'], [num('model', 'distanceM', 'length', { imperialSuffix: 'yds', note: POSITION_NOTE })]],
  [['position_in_block', 'block_position', 'block_offset', 'distance_in_block'], [num('model', 'positionInBlockM', 'length', { imperialSuffix: 'yds' })]],
  [['temperature', 'train_temperature', 'cabin_temperature', 'current_temperature', 'temp'], [num('model', 'temperatureC', 'temperature')]],
  [['left_door_open', 'left_doors_open'], [bool('model', 'leftDoorsOpen')]],
  [['right_door_open', 'right_doors_open'], [bool('model', 'rightDoorsOpen')]],
  [['passengers_onboard', 'passengers_on_board', 'passengers', 'passenger_count'], [{ section: 'model', field: 'passengers', kind: 'integer' }]],
  [['train_model_engine_failure', 'engine_failure'], [bool('model', 'failures.engine')]],
  [['train_model_brake_failure', 'brake_failure', 'service_brake_failure'], [bool('model', 'failures.brake')]],
  [['train_model_signal_failure', 'signal_failure', 'signal_pickup_failure'], [bool('model', 'failures.signal')]],
  [['block', 'current_block', 'block_number'], [{ section: 'model', field: 'block', kind: 'integer' }, { section: 'wayside', field: 'block', kind: 'integer' }]],
  [['commanded_speed', 'cmd_speed', 'suggested_speed'], [num('wayside', 'commandedSpeedMps', 'speed')]],
  [['commanded_authority', 'authority', 'cmd_authority'], [num('wayside', 'commandedAuthorityM', 'length', { imperialSuffix: 'yds' })]],
  [['speed_limit', 'block_speed_limit'], [num('wayside', 'speedLimitMps', 'speed')]],
  [['current_station', 'station_name', 'station'], [text('wayside', 'currentStation')]],
  [['next_station', 'next_stop'], [text('wayside', 'nextStation')]],
  [['station_side', 'door_side', 'side_door', 'platform_side'], [{ section: 'wayside', field: 'stationSide', kind: 'station-side' }]],
  [['power_command', 'power', 'commanded_power', 'power_cmd'], [num('controller', 'powerCommandW', 'power')]],
  [['service_brake'], [bool('controller', 'serviceBrake')]],
  [['emergency_brake', 'ebrake', 'e_brake'], [bool('controller', 'emergencyBrake')]],
  [['left_door', 'left_doors'], [bool('controller', 'leftDoorsOpen')]],
  [['right_door', 'right_doors'], [bool('controller', 'rightDoorsOpen')]],
  [['interior_lights', 'cabin_lights'], [bool('controller', 'interiorLights')]],
  [['exterior_lights', 'headlights'], [bool('controller', 'exteriorLights')]],
  [['set_temperature', 'temperature_setpoint', 'set_temp'], [num('controller', 'temperatureSetpointC', 'temperature')]],
  [['kp'], [{ section: 'controller', field: 'kp', kind: 'gain' }]],
  [['ki'], [{ section: 'controller', field: 'ki', kind: 'gain' }]],
  [['manual_mode'], [{ section: 'controller', field: 'mode', kind: 'manual-flag' }]],
  [['mode', 'control_mode'], [{ section: 'controller', field: 'mode', kind: 'mode' }]],
  [['driver_velocity', 'driver_speed', 'driver_speed_setpoint', 'manual_speed'], [num('controller', 'driverSpeedMps', 'speed')]],
]);

/** Keys of a `specs` object (vehicle constants). */
export const SPECS_FIELDS = table([
  [['length', 'vehicle_length', 'train_length'], [num('specs', 'lengthM', 'length', { imperialSuffix: 'ft' })]],
  [['width'], [num('specs', 'widthM', 'length', { imperialSuffix: 'ft' })]],
  [['height'], [num('specs', 'heightM', 'length', { imperialSuffix: 'ft' })]],
  [['mass', 'empty_mass', 'vehicle_mass', 'weight'], [num('specs', 'emptyMassKg', 'mass')]],
  [['max_power', 'power', 'motor_power'], [num('specs', 'maxPowerW', 'power')]],
  [['max_accel', 'max_acceleration', 'acceleration', 'medium_acceleration'], [num('specs', 'maxAccelerationMps2', 'acceleration')]],
  [['service_brake', 'service_brake_rate', 'service_brake_decel', 'service_deceleration'], [num('specs', 'serviceBrakeMps2', 'acceleration', { magnitude: true })]],
  [['emergency_brake', 'emergency_brake_rate', 'emergency_brake_decel', 'emergency_deceleration'], [num('specs', 'emergencyBrakeMps2', 'acceleration', { magnitude: true })]],
  [['max_speed', 'max_velocity', 'top_speed'], [num('specs', 'maxSpeedMps', 'speed')]],
  [['capacity', 'passenger_capacity', 'max_passengers'], [{ section: 'specs', field: 'capacityPassengers', kind: 'integer' }]],
  [['crew_count', 'crew'], [{ section: 'specs', field: 'crewCount', kind: 'integer' }]],
  [['mass_per_passenger'], [num('specs', 'massPerPassengerKg', 'mass')]],
]);

/** Keys known to have no place in the canonical document, with the reason the report gives. */
export const KNOWN_DROPS: ReadonlyMap<string, string> = new Map([
  ['passengers_boarding', 'a per-step boarding event, not state; the train model recomputes passengers'],
  ['temperature_up', 'a button press of the legacy UI, not state'],
  ['temperature_down', 'a button press of the legacy UI, not state'],
  ['announcement', 'announcement text of the legacy UI; the schema has no announcement field'],
  ['announce_pressed', 'a button press of the legacy UI, not state'],
  ['engineering_panel_locked', 'a UI lock of the legacy engineering panel, not state'],
  ['beacon_read_blocked', 'a flag of the legacy beacon reader; the schema has no such field'],
  ['train_controller_engine_failure', "the controller's copy of a failure flag; failures are stored once, in model.failures"],
  ['train_controller_signal_failure', "the controller's copy of a failure flag; failures are stored once, in model.failures"],
  ['train_controller_brake_failure', "the controller's copy of a failure flag; failures are stored once, in model.failures"],
]);

/** Names of a nested object that holds vehicle constants rather than state. */
export const SPECS_SECTION_NAMES: ReadonlySet<string> = new Set(['specs', 'spec', 'specifications', 'vehicle', 'vehicle_specs', 'train_specs']);

const IMPERIAL_DEFAULT: Readonly<Record<Quantity, string>> = {
  speed: 'mph',
  length: 'yds',
  acceleration: 'ftps2',
  mass: 'lbs',
  // The course's legacy files keep power in W even when everything else is imperial (README).
  power: 'w',
  temperature: 'f',
  time: 's',
};
const SI_DEFAULT: Readonly<Record<Quantity, string>> = {
  speed: 'mps',
  length: 'm',
  acceleration: 'mps2',
  mass: 'kg',
  power: 'w',
  temperature: 'c',
  time: 's',
};

/** Suffix assumed for a key that names no unit, in a file of the given family. */
export function assumedSuffix(target: FieldTarget, system: UnitSystem): string | undefined {
  if (!target.quantity) return undefined;
  if (system === 'imperial') return target.imperialSuffix ?? IMPERIAL_DEFAULT[target.quantity];
  return SI_DEFAULT[target.quantity];
}
