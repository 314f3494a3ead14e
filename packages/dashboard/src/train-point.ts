import type { TrainData } from '@rail/schema';
import type { SeriesPoint } from './history.js';
import type { LineView } from './protocol.js';
import { blockSpeedLimitMps } from './line-view.js';

/**
 * The plotted quantities of one train in one committed document, or null when the document gives no
 * simulated time to plot them against (the dashboard does not invent a time axis).
 */
export function trainPoint(doc: TrainData, trainId: string, line: LineView | undefined): SeriesPoint | null {
  const train = doc.trains[trainId];
  if (!train) return null;
  const tS = train.model?.simTimeS ?? doc.simTimeS;
  if (tS === undefined) return null;
  const model = train.model;
  const wayside = train.wayside;
  return {
    tS,
    speedMps: model ? model.speedMps : null,
    commandedSpeedMps: wayside ? wayside.commandedSpeedMps : null,
    speedLimitMps: wayside ? wayside.speedLimitMps : blockSpeedLimitMps(line, model?.block),
    powerCommandW: train.controller ? train.controller.powerCommandW : null,
    authorityM: authorityLeftM(train),
  };
}

/** Authority left, m: the model's own figure, else the wayside's command less what was travelled since. */
function authorityLeftM(train: TrainData['trains'][string]): number | null {
  const model = train.model;
  const wayside = train.wayside;
  if (model?.authorityRemainingM !== undefined) return model.authorityRemainingM;
  if (!wayside) return null;
  if (model && wayside.authorityBasisDistanceM !== undefined) {
    return wayside.commandedAuthorityM - (model.distanceM - wayside.authorityBasisDistanceM);
  }
  return wayside.commandedAuthorityM;
}
