import type { UnitSystem } from './units.js';

/** A legacy value that made it into the document, with its conversion. */
export interface ConvertedEntry {
  /** Legacy path inside the train, e.g. `outputs.velocity_mph`. */
  from: string;
  /** Unit the legacy value was read in (`mph`, `yd`, …); undefined for unitless values. */
  fromUnit: string | undefined;
  /** True when the key named no unit and `fromUnit` was assumed (see the matching guessed entry). */
  unitGuessed: boolean;
  /** Canonical path inside the train, e.g. `model.speedMps`. */
  to: string;
  /** SI unit of the canonical field; undefined for unitless values. */
  toUnit: string | undefined;
  before: unknown;
  after: unknown;
  /** Anything a reader should know about this mapping (sign flipped, text parsed as a number, …). */
  note?: string;
}

/** A legacy value that is not in the document, and why. */
export interface DroppedEntry {
  from: string;
  value: unknown;
  reason: string;
}

/** Something the importer decided without the file saying so: an assumed unit, a filled field. */
export interface GuessedEntry {
  /** What was guessed: a canonical path (`specs.maxSpeedMps`) or `unit of <legacy key>`. */
  what: string;
  value: unknown;
  reason: string;
}

export interface TrainImportReport {
  /** The key as written in the legacy file (`Train 1`). */
  legacyKey: string;
  /** The canonical id it became (`train_1`). */
  trainId: string;
  converted: ConvertedEntry[];
  dropped: DroppedEntry[];
  guessed: GuessedEntry[];
  warnings: string[];
}

export interface ImportReport {
  source: string;
  /** Unit family assumed for keys without a unit suffix, and why. */
  unitSystem: { system: UnitSystem; reason: string };
  trains: TrainImportReport[];
  /** Root-level keys that are not trains (leftover `specs` / `inputs` / `outputs`, unknown keys). */
  file: { converted: ConvertedEntry[]; dropped: DroppedEntry[]; guessed: GuessedEntry[] };
  /** File-level warnings, e.g. `{}` imported as zero trains. */
  warnings: string[];
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function unitText(unit: string | undefined, guessed = false): string {
  if (unit === undefined) return '';
  return guessed ? ` ${unit} (assumed)` : ` ${unit}`;
}

function convertedLine(c: ConvertedEntry): string {
  return (
    `    ${c.from} = ${show(c.before)}${unitText(c.fromUnit, c.unitGuessed)} -> ${c.to} = ${show(c.after)}${unitText(c.toUnit)}` +
    (c.note ? ` (${c.note})` : '')
  );
}

function block(title: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : [`  ${title}:`, ...lines];
}

/** The report as plain text for a terminal (what `rail import` prints). */
export function formatImportReport(report: ImportReport): string {
  const out: string[] = [];
  const n = report.trains.length;
  out.push(`${report.source}: imported ${n} train${n === 1 ? '' : 's'}; units without a suffix read as ${report.unitSystem.system} (${report.unitSystem.reason})`);
  for (const w of report.warnings) out.push(`WARNING: ${w}`);
  const file = report.file;
  if (file.converted.length + file.dropped.length + file.guessed.length > 0) {
    out.push('file root:');
    out.push(...block('converted', file.converted.map(convertedLine)));
    out.push(...block('dropped', file.dropped.map((d) => `    ${d.from} = ${show(d.value)}: ${d.reason}`)));
    out.push(...block('guessed', file.guessed.map((g) => `    ${g.what} = ${show(g.value)}: ${g.reason}`)));
  }
  for (const t of report.trains) {
    out.push(`${t.trainId} (from "${t.legacyKey}"): ${t.converted.length} converted, ${t.dropped.length} dropped, ${t.guessed.length} guessed`);
    for (const w of t.warnings) out.push(`  WARNING: ${w}`);
    out.push(...block('converted', t.converted.map(convertedLine)));
    out.push(...block('dropped', t.dropped.map((d) => `    ${d.from} = ${show(d.value)}: ${d.reason}`)));
    out.push(...block('guessed', t.guessed.map((g) => `    ${g.what} = ${show(g.value)}: ${g.reason}`)));
  }
  return out.join('\n');
}
