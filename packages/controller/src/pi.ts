/** Integrator memory of the speed loop between steps. */
export interface PiState {
  /** u_k: trapezoidal integral of the speed error, m. */
  integralM: number;
  /** e_{k−1}, m/s; null before the first step. */
  lastErrorMps: number | null;
  /** Whether the last output was clamped, and at which end. */
  saturated: 'high' | 'low' | null;
}

export const INITIAL_PI_STATE: Readonly<PiState> = Object.freeze({ integralM: 0, lastErrorMps: null, saturated: null });

export interface PiResult {
  state: PiState;
  /** Clamped power command, W. */
  powerW: number;
}

/**
 * The course's PI law: e_k = v_cmd − v, u_k = u_{k−1} + T/2·(e_k + e_{k−1}), P = Kp·e_k + Ki·u_k,
 * clamped to 0…maxPowerW. Anti-windup by conditional integration: while the last output sat at a
 * limit and the error pushes further into it, u is held.
 */
export function piStep(state: PiState, errorMps: number, dtS: number, kp: number, ki: number, maxPowerW: number): PiResult {
  const previousError = state.lastErrorMps ?? errorMps;
  const windingUp = (state.saturated === 'high' && errorMps > 0) || (state.saturated === 'low' && errorMps < 0);
  const integralM = windingUp ? state.integralM : state.integralM + (dtS / 2) * (errorMps + previousError);
  const rawW = kp * errorMps + ki * integralM;
  const powerW = Math.min(Math.max(rawW, 0), maxPowerW);
  const saturated = rawW >= maxPowerW ? 'high' : rawW <= 0 ? 'low' : null;
  return { state: { integralM, lastErrorMps: errorMps, saturated }, powerW };
}

/** The integrator when the PI output is overridden (braking, doors open): nothing accumulates. */
export function holdPi(state: PiState, errorMps: number): PiState {
  return { integralM: state.integralM, lastErrorMps: errorMps, saturated: 'low' };
}
