import type { TrainData } from '@rail/schema';
import { authorityLeftM, STOPPED_BELOW_MPS } from '../authority.js';
import type { DoctorCheck } from './types.js';

interface TrainsInput {
  document: TrainData | null;
  legacyView: TrainData | null;
  legacyImportError: string | null;
  legacyWarnings: string[];
}

/**
 * A legacy file's trains usually lack a model section (the importer omits a section it cannot fill
 * safely), so their speed is only in the importer's warnings; the doctor relays the ones about a
 * zero power command rather than re-deriving speeds from legacy keys itself.
 */
const LEGACY_ZERO_POWER = /power command 0 W/;

/**
 * The two findings on-call engineers see in real team files: trains moving with zero power and no
 * reason given (a writer reset the command), and power commanded without authority (a safety fault).
 */
export function checkTrains(input: TrainsInput): DoctorCheck[] {
  const doc = input.document ?? input.legacyView;
  if (doc === null) {
    const why = input.legacyImportError === null ? 'the document is not readable (see the document check)' : `the legacy importer could not read it: ${input.legacyImportError}`;
    return [
      { name: 'zero-power-motion', status: 'warn', evidence: `not checked: ${why}.`, hint: 'Fix the document first.' },
      { name: 'power-without-authority', status: 'warn', evidence: `not checked: ${why}.`, hint: 'Fix the document first.' },
    ];
  }
  const via = input.document === null ? ' (legacy file, read through the importer)' : '';
  const zero = zeroPowerMotion(doc, via);
  const relayed = input.legacyWarnings.filter((w) => LEGACY_ZERO_POWER.test(w));
  if (input.document === null && relayed.length > 0) {
    zero.status = 'warn';
    zero.evidence = `the importer found: ${relayed.join('; ')}${via}.`;
    zero.hint = 'In a legacy file this is usually a power command lost to the legacy write race; after `rail import`, the store keeps each section to its one writer.';
  }
  return [zero, powerWithoutAuthority(doc, via)];
}

function zeroPowerMotion(doc: TrainData, via: string): DoctorCheck {
  const findings: string[] = [];
  let moving = 0;
  for (const [id, train] of Object.entries(doc.trains)) {
    const speed = train.model?.speedMps ?? 0;
    if (speed <= STOPPED_BELOW_MPS) continue;
    moving += 1;
    const c = train.controller;
    if (c === undefined) {
      findings.push(`${id} moves at ${speed.toFixed(2)} m/s with no controller section at all`);
      continue;
    }
    const braking = c.serviceBrake || c.emergencyBrake || train.model?.emergencyBrakeActive === true;
    const explained = c.status !== undefined && c.status !== 'ok';
    if (c.powerCommandW === 0 && !braking && !explained) {
      findings.push(
        `${id} moves at ${speed.toFixed(2)} m/s with power command 0 W, no brake, controller status ${c.status === undefined ? 'missing' : `'ok'`}`,
      );
    }
  }
  if (findings.length > 0) {
    return {
      name: 'zero-power-motion',
      status: 'warn',
      evidence: `${findings.join('; ')}${via}.`,
      hint: 'A zero power command must come with a controller status that explains it; otherwise another writer probably overwrote the controller section. Check which writers touch it (lastWriter, the modules’ logs).',
    };
  }
  return { name: 'zero-power-motion', status: 'pass', evidence: `${moving} moving train(s), none with an unexplained zero power command${via}.` };
}

function powerWithoutAuthority(doc: TrainData, via: string): DoctorCheck {
  const findings: string[] = [];
  let powered = 0;
  for (const [id, train] of Object.entries(doc.trains)) {
    const overrun = train.model?.authorityOverrunM ?? 0;
    if (overrun > 0) findings.push(`${id} ran ${overrun.toFixed(1)} m past its authority`);
    const power = train.controller?.powerCommandW ?? 0;
    if (power <= 0) continue;
    powered += 1;
    const left = authorityLeftM(train);
    if (left === null) findings.push(`${id} is commanded ${(power / 1000).toFixed(1)} kW with no wayside authority at all`);
    else if (left <= 0) findings.push(`${id} is commanded ${(power / 1000).toFixed(1)} kW with ${left.toFixed(1)} m of authority left`);
  }
  if (findings.length > 0) {
    return {
      name: 'power-without-authority',
      status: 'fail',
      evidence: `${findings.join('; ')}${via}.`,
      hint: 'Safety fault: the controller must stop the train within its authority. Check the controller’s vital rules and whether the wayside section is being written.',
    };
  }
  return { name: 'power-without-authority', status: 'pass', evidence: `${powered} train(s) under power, all within authority; no overruns${via}.` };
}
