/** The constants of the wayside rules, in one place so the README and the code agree. */

/** Default station dwell, seconds (s). */
export const DEFAULT_DWELL_S = 20;
/** A train counts as stopped below this speed, m/s. */
export const STOPPED_BELOW_MPS = 0.05;
/** A train stopped this close to a stop point (either side), metres, is at the platform. */
export const STOP_TOLERANCE_M = 5;
/**
 * Commanded speeds are planned with this fraction of the service brake, so a controller that
 * reacts a tick late still stops within authority using the full service brake.
 */
export const APPROACH_BRAKE_FRACTION = 0.5;
/**
 * A train approaching a block with a lower limit is commanded down to that limit minus this margin
 * by the block boundary, m/s: the controller tracks its target within a brake hysteresis (0.3 m/s)
 * and a tick of delay, and a train must not enter the block above its limit.
 */
export const LIMIT_APPROACH_MARGIN_MPS = 0.5;
/** Below this much authority the commanded speed is 0 (the train has arrived), metres. */
export const ARRIVED_WITHIN_M = 0.5;
/** Floor of the commanded approach speed while authority is left, so a train does not stall short, m/s. */
export const CREEP_SPEED_MPS = 1;
/** Largest authority the train_data schema accepts (commandedAuthorityM maximum), metres. */
export const MAX_AUTHORITY_M = 1_000_000;
