/** What the vital layer allows. */
export interface VitalDecision {
  tractionAllowed: boolean;
  serviceBrake: boolean;
  emergencyBrake: boolean;
  reason: VitalReason;
}

export type VitalReason =
  | 'clear'
  | 'signal-failure'
  | 'no-authority'
  | 'authority-overrun'
  | 'authority-stop'
  | 'overspeed'
  | 'operator-emergency';

/** Everything the vital checks look at. SI units. */
export interface VitalInputs {
  speedMps: number;
  /** Authority left, m; null when none was received. */
  authorityM: number | null;
  /** Speed limit in force (block limit, vehicle maximum), m/s. */
  speedLimitMps: number;
  serviceBrakeMps2: number;
  reactionTimeS: number;
  marginM: number;
  signalFailure: boolean;
  operatorEmergencyBrake: boolean;
}

export type VitalChannel = (inputs: VitalInputs) => VitalDecision;

const decision = (reason: VitalReason, serviceBrake: boolean, emergencyBrake: boolean): VitalDecision => ({
  tractionAllowed: !serviceBrake && !emergencyBrake,
  serviceBrake,
  emergencyBrake,
  reason,
});

/**
 * Channel A, in distances: compares the authority with the service-braking distance
 * v²/(2·a_sb) (emergency when even that overruns) and with v·t_r + v²/(2·a_sb) + margin.
 */
export const vitalByDistance: VitalChannel = (i) => {
  if (i.signalFailure) return decision('signal-failure', false, true);
  if (i.operatorEmergencyBrake) return decision('operator-emergency', false, true);
  if (i.authorityM === null) return decision('no-authority', true, false);
  const brakingM = (i.speedMps * i.speedMps) / (2 * i.serviceBrakeMps2);
  if (brakingM > i.authorityM) return decision('authority-overrun', false, true);
  if (i.authorityM <= i.speedMps * i.reactionTimeS + brakingM + i.marginM) return decision('authority-stop', true, false);
  if (i.speedMps > i.speedLimitMps) return decision('overspeed', true, false);
  return decision('clear', false, false);
};

/**
 * Channel B, in speeds and times, written independently of channel A: the stopping time
 * t = v/a_sb gives the stopping distance v·t/2; the highest safe speed for the authority solves
 * v·t_r + v²/(2a) = authority − margin; overspeed compares the limit minus the speed with zero.
 */
export const vitalBySpeed: VitalChannel = (i) => {
  const flags = { emergency: i.signalFailure || i.operatorEmergencyBrake, service: false };
  let reason: VitalReason = i.signalFailure ? 'signal-failure' : i.operatorEmergencyBrake ? 'operator-emergency' : 'clear';
  if (!flags.emergency) {
    if (i.authorityM === null) {
      flags.service = true;
      reason = 'no-authority';
    } else {
      const a = i.serviceBrakeMps2;
      const stopTimeS = i.speedMps / a;
      const spareM = i.authorityM - i.marginM;
      const safeSpeedMps = spareM > 0 ? a * (Math.sqrt(i.reactionTimeS ** 2 + (2 * spareM) / a) - i.reactionTimeS) : 0;
      if (0.5 * i.speedMps * stopTimeS > i.authorityM) {
        flags.emergency = true;
        reason = 'authority-overrun';
      } else if (spareM <= 0 || i.speedMps >= safeSpeedMps) {
        flags.service = true;
        reason = 'authority-stop';
      } else if (i.speedLimitMps - i.speedMps < 0) {
        flags.service = true;
        reason = 'overspeed';
      }
    }
  }
  return decision(reason, flags.service, flags.emergency);
};

export interface CombinedVital extends VitalDecision {
  /** The two channels disagreed on what to command; the safe side was taken. */
  disagree: boolean;
  channels: [VitalDecision, VitalDecision];
}

/**
 * Runs both channels and requires them to agree on the commands (traction, service, emergency).
 * On disagreement the more restrictive of each command wins and traction is refused.
 */
export function combineVital(inputs: VitalInputs, channels: readonly [VitalChannel, VitalChannel] = [vitalByDistance, vitalBySpeed]): CombinedVital {
  const a = channels[0](inputs);
  const b = channels[1](inputs);
  const agree = a.tractionAllowed === b.tractionAllowed && a.serviceBrake === b.serviceBrake && a.emergencyBrake === b.emergencyBrake;
  if (agree) return { ...a, disagree: false, channels: [a, b] };
  const emergencyBrake = a.emergencyBrake || b.emergencyBrake;
  return {
    tractionAllowed: false,
    serviceBrake: !emergencyBrake,
    emergencyBrake,
    reason: a.reason !== 'clear' ? a.reason : b.reason,
    disagree: true,
    channels: [a, b],
  };
}
