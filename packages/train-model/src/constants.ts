/**
 * Physical and modelling constants of the train model. Every value is SI; the README gives the
 * source or the reasoning for each.
 */

/** Standard gravity, m/s² (ISO 80000-3 / CGPM 1901 conventional value). */
export const GRAVITY_MPS2 = 9.80665;

/**
 * Rolling resistance coefficient of steel wheel on steel rail, dimensionless. Published values are
 * about 0.001–0.002 (e.g. Wikipedia "Rolling resistance", table of coefficients, citing Hay,
 * Railroad Engineering); we take the upper end because street-running tram track is curved and
 * embedded in the road surface.
 */
export const ROLLING_RESISTANCE_COEFFICIENT = 0.002;

/** Air density at sea level in the ICAO standard atmosphere, kg/m³. */
export const AIR_DENSITY_KGPM3 = 1.225;

/**
 * Aerodynamic drag coefficient of the vehicle, dimensionless. No measured value is published for
 * the Flexity 2; 0.8 is an assumption in the range usually quoted for a single blunt-fronted rail
 * vehicle (about 0.6–1.0). Its effect below 70 km/h is small (see README).
 */
export const DRAG_COEFFICIENT = 0.8;

/**
 * Frontal area used when `specs` lacks `widthM` or `heightM`: the Flexity 2's 2.65 m × 3.42 m.
 */
export const DEFAULT_FRONTAL_AREA_M2 = 2.65 * 3.42;

/**
 * Below this speed the tractive force is computed as P / TRACTION_SPEED_FLOOR_MPS instead of P / v,
 * which is infinite at rest. The cap by the maximum acceleration (and adhesion) binds long before
 * this floor matters at full power: 120 kW / 1 m/s = 120 kN, six times m·a_max.
 */
export const TRACTION_SPEED_FLOOR_MPS = 1;

/**
 * Wheel–rail adhesion coefficient available for traction, dimensionless. Dry rail gives about
 * 0.25–0.33; 0.2 is a conservative design value. At 0.5 m/s² medium acceleration it never binds
 * except on grades far steeper than the Flexity 2's 6 % limit.
 */
export const ADHESION_COEFFICIENT = 0.2;

/** Largest internal integration step, s. `step` splits any caller dt into steps no longer than this. */
export const MAX_SUBSTEP_S = 0.01;

/** Below this speed (m/s) the train counts as stopped: doors may open, passengers board. */
export const STOPPED_SPEED_MPS = 0.05;

/**
 * First-order time constant of the cabin temperature, s: the gap to the setpoint shrinks by a
 * factor e every 180 s (about 63 % in 3 minutes, 95 % in 9 minutes), a plausible HVAC response for
 * a tram cabin.
 */
export const CABIN_TIME_CONSTANT_S = 180;

/** Cabin temperature of a newly dispatched train, °C. */
export const INITIAL_CABIN_TEMPERATURE_C = 20;

/** Mass per passenger or crew member when `specs.massPerPassengerKg` is absent, kg (FLEXITY2_SPECS). */
export const DEFAULT_MASS_PER_PERSON_KG = 70;
