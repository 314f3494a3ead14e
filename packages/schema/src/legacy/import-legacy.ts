import type { Controller, Model, Specs, Train, TrainData, Wayside } from '../generated/index.js';
import { FLEXITY2_SPECS, SCHEMA_VERSION } from '../defaults.js';
import { RailSchemaError } from '../errors.js';
import { parseJsonText } from '../json-text.js';
import { formatIssues } from '../validation-issues.js';
import { isTrainData } from '../validators.js';
import {
  assumedSuffix,
  KNOWN_DROPS,
  SPECS_FIELDS,
  SPECS_SECTION_NAMES,
  STATE_FIELDS,
  type FieldTarget,
  type KeyContext,
  type TargetSection,
} from './field-map.js';
import type { ConvertedEntry, DroppedEntry, GuessedEntry, ImportReport, TrainImportReport } from './import-report.js';
import { canonicalTrainId, normaliseKey } from './key-names.js';
import { readLegacyValue } from './legacy-values.js';
import { requiredFailureFlags, requiredFields, schemaRejection } from './schema-rules.js';
import { SI_SYMBOL, splitUnit, unitForSuffix, type Unit, type UnitSystem } from './units.js';

export interface ImportLegacyOptions {
  /** File name or label used in messages and the report. */
  source?: string;
  /** `updatedAt` of the imported document (default: now). */
  now?: Date;
  /** Track line of every imported train (legacy files name none). Default: `Green`, reported as a guess. */
  line?: string;
  /** Unit family of keys without a unit suffix. Default: inferred from the file's suffixed keys. */
  units?: UnitSystem;
  /**
   * Legacy files carry no block number. `'omit-section'` (default) leaves out the model and wayside
   * sections, whose `block` is required; `'null'` writes `block: null` (the schema's "in the yard")
   * and `positionInBlockM: 0`, so the converted state is kept. Either way it is reported.
   */
  unknownBlock?: 'omit-section' | 'null';
}

export interface ImportResult {
  document: TrainData;
  report: ImportReport;
}

const TRAIN_LINE = /^[A-Za-z0-9][A-Za-z0-9 _-]{0,31}$/;
const DEFAULT_LINE = 'Green';
const MAX_DEPTH = 8;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One primitive value of a legacy train, where it sits and which table reads it. */
interface Leaf {
  path: string;
  key: string;
  value: unknown;
  context: KeyContext;
}

/** A value that could fill one canonical field. */
interface Candidate {
  target: FieldTarget;
  from: string;
  /** The value as written in the legacy file. */
  raw: unknown;
  unset: boolean;
  explicitUnit: boolean;
  entry?: ConvertedEntry;
  unsetWhy?: string;
  order: number;
}

function flatten(obj: JsonObject, prefix: string, context: KeyContext, depth: number, leaves: Leaf[], dropped: DroppedEntry[]): void {
  for (const [key, value] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isObject(value)) {
      if (depth >= MAX_DEPTH) {
        dropped.push({ from: path, value, reason: `nested deeper than ${MAX_DEPTH} levels; no legacy file nests state that deep` });
        continue;
      }
      const inner: KeyContext = SPECS_SECTION_NAMES.has(normaliseKey(key)) ? 'specs' : context;
      if (Object.keys(value).length === 0) {
        dropped.push({ from: path, value, reason: 'empty section: nothing to import' });
        continue;
      }
      flatten(value, path, inner, depth + 1, leaves, dropped);
    } else if (Array.isArray(value)) {
      dropped.push({ from: path, value, reason: 'a list: no canonical field of a train takes a list' });
    } else {
      leaves.push({ path, key, value, context });
    }
  }
}

/** Which unit family the file's suffixed keys betray; unsuffixed keys are read in it. */
function detectUnitSystem(root: JsonObject, forced: UnitSystem | undefined): ImportReport['unitSystem'] {
  if (forced) return { system: forced, reason: 'set by the caller (options.units)' };
  const votes = { imperial: 0, si: 0 };
  const walk = (obj: JsonObject, depth: number): void => {
    for (const [key, value] of Object.entries(obj)) {
      const { unit } = splitUnit(normaliseKey(key));
      if (unit?.system) votes[unit.system]++;
      if (isObject(value) && depth < MAX_DEPTH) walk(value, depth + 1);
    }
  };
  walk(root, 0);
  const keys = (n: number) => `${n} key${n === 1 ? '' : 's'}`;
  if (votes.si > votes.imperial) return { system: 'si', reason: `${keys(votes.si)} with SI unit suffixes, ${keys(votes.imperial)} with imperial ones` };
  if (votes.imperial > 0) return { system: 'imperial', reason: `${keys(votes.imperial)} with imperial unit suffixes, ${keys(votes.si)} with SI ones` };
  return {
    system: 'imperial',
    reason: 'no key names a unit; the course\'s legacy files use mph, yards, ft/s², lb and °F (power in W) (real-inputs README)',
  };
}

function targetPath(t: FieldTarget): string {
  return `${t.section}.${t.field}`;
}

class TrainImporter {
  readonly report: TrainImportReport;
  private readonly candidates = new Map<string, Candidate[]>();
  private order = 0;

  constructor(
    legacyKey: string,
    trainId: string,
    private readonly system: ImportReport['unitSystem'],
  ) {
    this.report = { legacyKey, trainId, converted: [], dropped: [], guessed: [], warnings: [] };
  }

  addLeaf(leaf: Leaf): void {
    const norm = normaliseKey(leaf.key);
    const known = KNOWN_DROPS.get(norm);
    if (known) {
      this.report.dropped.push({ from: leaf.path, value: leaf.value, reason: known });
      return;
    }
    const table = leaf.context === 'specs' ? SPECS_FIELDS : STATE_FIELDS;
    const split = splitUnit(norm);
    let targets = table.get(split.base);
    let unit: Unit | undefined = split.unit;
    if (!targets && split.unit) {
      targets = table.get(norm);
      unit = undefined;
    }
    if (!targets) {
      const where = leaf.context === 'specs' ? 'vehicle specs' : 'train state';
      this.report.dropped.push({ from: leaf.path, value: leaf.value, reason: `unknown key "${leaf.key}": no field of the canonical ${where} means this` });
      return;
    }
    for (const target of targets) this.addCandidate(leaf, target, unit);
  }

  private addCandidate(leaf: Leaf, target: FieldTarget, explicit: Unit | undefined): void {
    const to = targetPath(target);
    const reading = readLegacyValue(leaf.value, target.kind);
    if (reading.kind === 'invalid') {
      this.report.dropped.push({ from: leaf.path, value: leaf.value, reason: `for ${to}: ${reading.reason}` });
      return;
    }
    const order = this.order++;
    if (reading.kind === 'unset') {
      this.push({ target, from: leaf.path, raw: leaf.value, unset: true, explicitUnit: false, unsetWhy: reading.why, order });
      return;
    }
    let after = reading.value;
    const notes: string[] = [];
    if (reading.note) notes.push(reading.note);
    if (target.note) notes.push(target.note);
    let fromUnit: Unit | undefined;
    if (target.quantity) {
      fromUnit = explicit ?? unitForSuffix(assumedSuffix(target, this.system.system) ?? '');
      if (!fromUnit) {
        this.report.dropped.push({ from: leaf.path, value: leaf.value, reason: `for ${to}: no unit known for ${target.quantity}` });
        return;
      }
      if (fromUnit.quantity !== target.quantity) {
        this.report.dropped.push({
          from: leaf.path,
          value: leaf.value,
          reason: `the key's unit ${fromUnit.symbol} is a ${fromUnit.quantity}, but ${to} is a ${target.quantity}: the key contradicts itself`,
        });
        return;
      }
      after = fromUnit.toSi(after as number);
      if (target.magnitude && (after as number) < 0) {
        after = -(after as number);
        notes.push('stored negative in the legacy file; the schema stores the deceleration as a positive magnitude');
      }
    } else if (explicit) {
      this.report.dropped.push({ from: leaf.path, value: leaf.value, reason: `the key names unit ${explicit.symbol}, but ${to} has no unit` });
      return;
    }
    const rejection = schemaRejection(target.section, target.field, after);
    if (rejection) {
      const unitNote = target.quantity ? ` ${SI_SYMBOL[target.quantity]}` : '';
      this.report.dropped.push({
        from: leaf.path,
        value: leaf.value,
        reason: `converts to ${to} = ${JSON.stringify(after)}${unitNote}, which is ${rejection}`,
      });
      return;
    }
    const entry: ConvertedEntry = {
      from: leaf.path,
      fromUnit: fromUnit?.symbol,
      unitGuessed: target.quantity !== undefined && explicit === undefined,
      to,
      toUnit: target.quantity ? SI_SYMBOL[target.quantity] : undefined,
      before: leaf.value,
      after,
    };
    if (notes.length > 0) entry.note = notes.join('; ');
    this.push({ target, from: leaf.path, raw: leaf.value, unset: false, explicitUnit: explicit !== undefined, entry, order });
  }

  private push(c: Candidate): void {
    const key = targetPath(c.target);
    const list = this.candidates.get(key);
    if (list) list.push(c);
    else this.candidates.set(key, [c]);
  }

  hasSection(section: TargetSection): boolean {
    for (const list of this.candidates.values()) if (list.some((c) => c.target.section === section)) return true;
    return false;
  }

  /**
   * Picks one value per canonical field: a set value beats "unset", an explicit unit beats an
   * assumed one, then the first in the file wins. Every loser is reported.
   */
  resolve(): Map<string, { value: unknown; entry: ConvertedEntry | undefined }> {
    const out = new Map<string, { value: unknown; entry: ConvertedEntry | undefined }>();
    for (const [to, list] of this.candidates) {
      const ranked = [...list].sort(
        (a, b) => Number(a.unset) - Number(b.unset) || Number(b.explicitUnit) - Number(a.explicitUnit) || a.order - b.order,
      );
      const winner = ranked[0];
      if (!winner) continue;
      if (winner.unset) {
        const [section, field] = [winner.target.section, winner.target.field];
        if (schemaRejection(section, field, null) === undefined) {
          const entry: ConvertedEntry = {
            from: winner.from,
            fromUnit: undefined,
            unitGuessed: false,
            to,
            toUnit: undefined,
            before: winner.raw,
            after: null,
            note: `${winner.unsetWhy ?? 'unset'} stored as null`,
          };
          this.report.converted.push(entry);
          out.set(to, { value: null, entry });
          for (const c of ranked.slice(1)) this.report.dropped.push({ from: c.from, value: c.raw, reason: `unset; ${to} already null from ${winner.from}` });
        } else {
          for (const c of ranked) this.report.dropped.push({ from: c.from, value: c.raw, reason: `${c.unsetWhy ?? 'unset'}: ${to} left without a value` });
        }
        continue;
      }
      const entry = winner.entry as ConvertedEntry;
      this.report.converted.push(entry);
      if (entry.unitGuessed) {
        this.report.guessed.push({
          what: `unit of ${entry.from}`,
          value: entry.fromUnit,
          reason:
            entry.toUnit === 'W'
              ? 'the key names no unit; legacy files of both unit families keep power in W'
              : `the key names no unit; read in the file's ${this.system.system} unit family (see report.unitSystem)`,
        });
      }
      out.set(to, { value: entry.after, entry });
      for (const c of ranked.slice(1)) {
        const same = c.entry !== undefined && c.entry.after === entry.after;
        const why = c.unset
          ? `unset; ${to} taken from ${winner.from}`
          : same
            ? `duplicate of ${winner.from} (same value)`
            : `conflicts with ${winner.from} = ${JSON.stringify(entry.before)}, which was kept (${winner.explicitUnit && !c.explicitUnit ? 'its key names its unit' : 'first in the file'})`;
        this.report.dropped.push({ from: c.from, value: c.raw, reason: why });
      }
    }
    return out;
  }
}

function sectionValues(values: Map<string, { value: unknown }>, section: TargetSection): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [to, { value }] of values) {
    const [s, ...rest] = to.split('.');
    if (s !== section) continue;
    if (rest.length === 2 && rest[0] === 'failures') {
      const failures = (out.failures ??= {}) as Record<string, unknown>;
      failures[rest[1] as string] = value;
    } else {
      out[rest.join('.')] = value;
    }
  }
  return out;
}

function omitSection(report: TrainImportReport, section: TargetSection, missing: string[]): void {
  const reason = `section ${section} omitted: required ${missing.join(', ')} not in the legacy file and not safely fillable`;
  const kept: ConvertedEntry[] = [];
  for (const c of report.converted) {
    if (c.to.startsWith(`${section}.`)) report.dropped.push({ from: c.from, value: c.before, reason: `${reason} (would be ${c.to} = ${JSON.stringify(c.after)}${c.toUnit ? ` ${c.toUnit}` : ''})` });
    else kept.push(c);
  }
  report.converted = kept;
  report.warnings.push(`${reason}; its values are listed as dropped`);
}

/** Fills what the schema requires only where the absence itself says what the value is. */
function completeSection(
  section: TargetSection,
  values: Record<string, unknown>,
  report: TrainImportReport,
  unknownBlock: 'omit-section' | 'null',
): Record<string, unknown> | undefined {
  // Guesses are only reported if the section survives; an omitted section's fills never existed.
  const guesses: GuessedEntry[] = [];
  const fill = (field: string, value: unknown, reason: string): void => {
    values[field] = value;
    guesses.push({ what: `${section}.${field}`, value, reason });
  };
  if (section === 'model') {
    const failures = { ...((values.failures ?? {}) as Record<string, unknown>) };
    for (const f of requiredFailureFlags().filter((flag) => !(flag in failures))) {
      failures[f] = false;
      guesses.push({ what: `model.failures.${f}`, value: false, reason: 'the file has no such failure flag: no failure recorded' });
    }
    values.failures = failures;
  }
  if (section === 'controller') {
    for (const gain of ['kp', 'ki']) {
      if (!(gain in values)) fill(gain, null, 'the file has no gains: not set by an engineer (the controller treats null as "no gains" and commands zero power)');
    }
    if (!('mode' in values)) fill('mode', 'auto', 'the file has no manual-mode flag: automatic mode, following the wayside commanded speed');
  }
  if ((section === 'model' || section === 'wayside') && !('block' in values) && unknownBlock === 'null') {
    fill('block', null, 'the file has no block number; options.unknownBlock = "null" writes null (the schema\'s "in the yard"): re-locate the train before running it');
    if (section === 'model' && !('positionInBlockM' in values)) fill('positionInBlockM', 0, 'block is null (yard), so the position in the block is 0');
  }
  const missing = requiredFields(section).filter((f) => !(f in values));
  if (missing.length > 0) {
    omitSection(report, section, missing);
    return undefined;
  }
  report.guessed.push(...guesses);
  return values;
}

function specsFrom(values: Record<string, unknown>, report: TrainImportReport, origin: string): Specs {
  const specs = { ...values };
  for (const field of requiredFields('specs')) {
    if (field in specs) continue;
    const value = (FLEXITY2_SPECS as unknown as Record<string, unknown>)[field];
    specs[field] = value;
    report.guessed.push({
      what: `specs.${field}`,
      value,
      reason: `${origin}; the course's vehicle is the Bombardier Flexity 2 (FLEXITY2_SPECS)`,
    });
  }
  return specs as unknown as Specs;
}

function fail(source: string, message: string, cause?: unknown): RailSchemaError {
  return new RailSchemaError('IMPORT_FAILED', `${source}: ${message}`, { source, cause });
}

/**
 * Converts a legacy (pre-schema) shared train file into a canonical TrainData document. Keys are
 * recognised by name and unit suffix, not by file; every value converted, dropped or guessed is in
 * the report. Text that is not JSON throws RailSchemaError with line and column.
 */
export function importLegacyTrainData(text: string, options: ImportLegacyOptions = {}): ImportResult {
  const source = options.source ?? '<legacy train_data>';
  if (typeof text !== 'string') throw fail(source, `expected the file's text (a string), got ${typeof text}; read the file with readFileSync(path, 'utf8') first.`);
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw fail(source, 'options.now is an invalid Date; pass a valid Date or leave it out.');
  if (options.line !== undefined && !TRAIN_LINE.test(options.line)) {
    throw fail(source, `options.line ${JSON.stringify(options.line)} is not a valid line name (letters, digits, space, _ or -, up to 32); pass e.g. "Green".`);
  }
  const root = parseJsonText(text, source);
  if (!isObject(root)) {
    const found = root === null ? 'null' : Array.isArray(root) ? 'a list' : typeof root;
    throw fail(source, `the top level is ${found}; a legacy train file is an object with train_N keys. Check that this is the right file.`);
  }
  if ('schemaVersion' in root) {
    throw fail(source, 'the file has a schemaVersion: it is already a canonical train_data document, not a legacy one: use it as it is (`rail inspect`, parseTrainData()) instead of importing it.');
  }

  const unitSystem = detectUnitSystem(root, options.units);
  const report: ImportReport = { source, unitSystem, trains: [], file: { converted: [], dropped: [], guessed: [] }, warnings: [] };
  const trainKeys: Array<[string, string, JsonObject]> = [];
  const seen = new Map<string, string>();
  const rootSpecs: Array<[string, JsonObject]> = [];
  for (const [key, value] of Object.entries(root)) {
    const id = canonicalTrainId(key);
    if (id !== undefined) {
      const earlier = seen.get(id);
      if (earlier !== undefined) {
        report.file.dropped.push({ from: key, value, reason: `another key ("${earlier}") is also train ${id}; the first one was kept` });
      } else if (!isObject(value)) {
        report.file.dropped.push({ from: key, value, reason: `a train must be an object of its values, found ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}` });
      } else {
        seen.set(id, key);
        trainKeys.push([key, id, value]);
      }
      continue;
    }
    const norm = normaliseKey(key);
    if (SPECS_SECTION_NAMES.has(norm) && isObject(value) && Object.keys(value).length > 0) {
      rootSpecs.push([key, value]);
    } else if (isObject(value) && Object.keys(value).length === 0) {
      report.file.dropped.push({ from: key, value, reason: 'empty leftover root section beside the trains: nothing to import' });
    } else {
      report.file.dropped.push({
        from: key,
        value,
        reason: 'not a train key (train_N, Train N or N): a leftover root key beside the trains, no canonical place for it',
      });
    }
  }
  const defaultSpecs = rootSpecs[0];
  for (const extra of rootSpecs.slice(1)) {
    report.file.dropped.push({ from: extra[0], value: extra[1], reason: `a second root specs object; "${defaultSpecs?.[0] ?? ''}" is the one used as default` });
  }

  const line = options.line ?? DEFAULT_LINE;
  const unknownBlock = options.unknownBlock ?? 'omit-section';
  const trains: Record<string, Train> = {};
  const usersOfRootSpecs: string[] = [];
  let coasting = 0;
  for (const [legacyKey, trainId, obj] of trainKeys) {
    const importer = new TrainImporter(legacyKey, trainId, unitSystem);
    const tr = importer.report;
    const leaves: Leaf[] = [];
    flatten(obj, '', 'state', 0, leaves, tr.dropped);
    const ownSpecs = leaves.some((l) => l.context === 'specs');
    if (!ownSpecs && defaultSpecs) {
      usersOfRootSpecs.push(trainId);
      flatten({ [defaultSpecs[0]]: defaultSpecs[1] }, '(root)', 'specs', 1, leaves, tr.dropped);
    }
    for (const leaf of leaves) importer.addLeaf(leaf);
    const values = importer.resolve();

    const specOrigin = ownSpecs
      ? 'missing from the train\'s specs'
      : defaultSpecs
        ? `missing from the root "${defaultSpecs[0]}" used as this train's specs`
        : 'the file has no specs for this train';
    const train: Train = { line, specs: specsFrom(sectionValues(values, 'specs'), tr, specOrigin) };
    if (!ownSpecs && defaultSpecs) {
      tr.guessed.push({ what: 'specs', value: `(root) ${defaultSpecs[0]}`, reason: 'the train has no specs of its own; the leftover root specs are used as its default' });
    }
    if (options.line === undefined) {
      tr.guessed.push({ what: 'line', value: line, reason: 'legacy files name no line; the course runs the Green Line. Pass options.line (rail import --line <name>) if it was another' });
    }
    if (legacyKey !== trainId) {
      tr.guessed.push({ what: 'train id', value: trainId, reason: `legacy key "${legacyKey}" is written in the canonical form train_N` });
    }

    for (const section of ['wayside', 'controller', 'model'] as const) {
      if (!importer.hasSection(section)) continue;
      const complete = completeSection(section, sectionValues(values, section), tr, unknownBlock);
      if (!complete) continue;
      if (section === 'wayside') train.wayside = complete as unknown as Wayside;
      if (section === 'controller') train.controller = complete as unknown as Controller;
      if (section === 'model') train.model = complete as unknown as Model;
    }

    const speed = values.get('model.speedMps')?.value;
    const power = values.get('controller.powerCommandW')?.value;
    if (typeof speed === 'number' && speed > 0 && power === 0) {
      coasting++;
      tr.warnings.push(
        `moving at ${speed.toFixed(3)} m/s with power command 0 W: coasting, or a controller command lost to the legacy write race; check before trusting this state`,
      );
    }
    const kp = values.get('controller.kp');
    const ki = values.get('controller.ki');
    if ((kp && kp.value === null) || (ki && ki.value === null)) {
      tr.warnings.push('kp/ki are null in the file and kept as null: the controller treats that as "no gains" and commands zero power until an engineer sets them');
    }
    trains[trainId] = train;
    report.trains.push(tr);
  }

  if (defaultSpecs) {
    if (usersOfRootSpecs.length > 0) {
      report.file.guessed.push({ what: `root "${defaultSpecs[0]}"`, value: usersOfRootSpecs, reason: 'leftover root specs used as the specs of the trains listed, which have none of their own' });
    } else {
      report.file.dropped.push({ from: defaultSpecs[0], value: defaultSpecs[1], reason: 'leftover root specs: every train has its own specs, so it is not used' });
    }
  }
  if (trainKeys.length === 0) {
    report.warnings.push(
      Object.keys(root).length === 0
        ? 'the file is an empty object {} (what a write race leaves behind): imported as zero trains. Restore the trains from a backup if you expected some.'
        : 'no train keys (train_N, Train N or N) in the file: imported as zero trains.',
    );
  }
  if (coasting > 0) report.warnings.push(`${coasting} train${coasting === 1 ? ' is' : 's are'} moving with power command 0 W (see the train warnings).`);

  const document: TrainData = { schemaVersion: SCHEMA_VERSION, revision: 0, updatedAt: now.toISOString(), trains };
  if (!isTrainData(document)) {
    const issues = isTrainData.issues(document);
    throw new RailSchemaError(
      'IMPORT_FAILED',
      `${source}: the imported document does not pass the schema (an importer bug; please report it with the file):\n${formatIssues(issues)}`,
      { source, issues },
    );
  }
  return { document, report };
}
