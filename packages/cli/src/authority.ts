import type { Train } from '@rail/schema';

/** Below this a train counts as stopped, m/s (the protocol's station-stop threshold). */
export const STOPPED_BELOW_MPS = 0.05;

/**
 * Authority the train has left, m: the model's published value when there is one, else the
 * wayside's command minus the distance run since its basis. null when the train has no wayside
 * section (no authority was ever given).
 */
export function authorityLeftM(train: Train): number | null {
  if (train.model?.authorityRemainingM !== undefined) return train.model.authorityRemainingM;
  const wayside = train.wayside;
  if (wayside === undefined) return null;
  const travelled = train.model === undefined || wayside.authorityBasisDistanceM === undefined ? 0 : train.model.distanceM - wayside.authorityBasisDistanceM;
  return Math.max(0, wayside.commandedAuthorityM - travelled);
}
