/** Tunable constants of the controller. SI units; the README explains each choice. */
export interface ControllerConfig {
  /**
   * Gains used when neither the operator nor the controller section gives numbers. null: no
   * defaults, so missing gains command zero power with status 'no-gains'.
   */
  defaultGains: { kpWsPerM: number; kiWPerM: number } | null;
  /** Distance kept in hand when planning a stop (the train aims to stop this short), m. */
  stopMarginM: number;
  /** Extra distance the vital authority check demands on top of the braking distance, m. */
  vitalMarginM: number;
  /**
   * Time between a decision and the brake acting, s: one controller period plus one model period
   * at the default 0.5 s, because controller and model are separate processes.
   */
  reactionTimeS: number;
  /** Deceleration the stop planning uses, m/s²; below the 1.2 m/s² service brake to keep headroom. */
  planningDecelerationMps2: number;
  /** Speed above the target at which the service brake is applied (not just zero power), m/s. */
  brakeHysteresisMps: number;
  /** Below this speed the train counts as stopped (doors may open), m/s. */
  stoppedSpeedMps: number;
  /** Cabin setpoint when nothing else sets one, °C. */
  temperatureSetpointC: number;
}

/**
 * Default speed-loop gains: kp = 120 000 W per (m/s), ki = 2 000 W per m. Tuned on the linearised
 * plant dv/dt = P / (m·v) at 40 km/h with the empty Flexity 2 (m ≈ 41 040 kg, so 1 W gives
 * b = 2.19e-6 m/s²): the closed loop s² + b·kp·s + b·ki has real poles at about −0.018 and
 * −0.245 1/s (overdamped), and the PI zero at −ki/kp ≈ −0.017 nearly cancels the slow pole, so the
 * speed approaches the command from below without overshoot. Chosen from closed-loop runs with the
 * train model (see README): from rest to 40 km/h within ±0.1 m/s in about 36 s, never above.
 */
export const DEFAULT_GAINS = Object.freeze({ kpWsPerM: 120_000, kiWPerM: 2_000 });

export const DEFAULT_CONTROLLER_CONFIG: Readonly<ControllerConfig> = Object.freeze({
  defaultGains: DEFAULT_GAINS,
  stopMarginM: 1.5,
  vitalMarginM: 1,
  reactionTimeS: 1,
  planningDecelerationMps2: 1,
  brakeHysteresisMps: 0.3,
  stoppedSpeedMps: 0.05,
  temperatureSetpointC: 21,
});
