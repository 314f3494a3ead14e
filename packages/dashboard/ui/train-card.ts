import type { Train } from '@rail/schema';
import type { SeriesColumns } from '../src/history.js';
import { describeRefusal, sendOperatorControl } from './api.js';
import { el, fixed } from './dom.js';
import { TrainCharts } from './train-charts.js';

const FAILURES = ['engine', 'brake', 'signal'] as const;

/** A number field the document refreshes unless the user is editing it. */
function numberField(testId: string, title: string): HTMLInputElement {
  const input = el('input', { type: 'number', step: 'any', 'data-testid': testId, title });
  input.addEventListener('input', () => (input.dataset.dirty = '1'));
  return input;
}

function refresh(input: HTMLInputElement, value: number | null | undefined): void {
  if (input.dataset.dirty === '1' || document.activeElement === input) return;
  input.value = value === null || value === undefined ? '' : String(value);
}

/** What the user typed, as a number; an empty or unreadable field is sent as null for the validator to refuse. */
function typed(input: HTMLInputElement): number | null {
  const text = input.value.trim();
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** One train: a summary line, the operator controls (each with its refusal next to it) and the plots. */
export class TrainCard {
  readonly root: HTMLElement;
  readonly charts: TrainCharts;
  private readonly summary = el('div', { class: 'summary', 'data-testid': 'train-summary' });
  private readonly note = el('div', { class: 'note' });
  private readonly failureBoxes = new Map<string, HTMLInputElement>();
  private readonly ebrake = el('button', { type: 'button', 'data-testid': 'ebrake' }, 'Pull emergency brake');
  private readonly mode = el('select', { 'data-testid': 'mode' }, el('option', { value: 'auto' }, 'automatic'), el('option', { value: 'manual' }, 'manual'));
  private readonly driverKmh = numberField('driver-speed', 'Driver setpoint, km/h');
  private readonly kp = numberField('kp', 'Proportional gain kp, W·s/m');
  private readonly ki = numberField('ki', 'Integral gain ki, W/m');
  private readonly refusals = {
    failures: el('span', { class: 'refusal', 'data-testid': 'refusal-failures' }),
    ebrake: el('span', { class: 'refusal', 'data-testid': 'refusal-ebrake' }),
    mode: el('span', { class: 'refusal', 'data-testid': 'refusal-mode' }),
    gains: el('span', { class: 'refusal', 'data-testid': 'refusal-gains' }),
  };
  private ebrakePulled = false;

  constructor(readonly trainId: string, colour: string) {
    this.charts = new TrainCharts(trainId);
    const failures = el('div', { class: 'control' }, 'Failures:');
    for (const f of FAILURES) {
      const box = el('input', { type: 'checkbox', 'data-testid': `fail-${f}` });
      box.addEventListener('change', () => {
        // Until the request is answered, revisions that do not carry it yet must not flip the box back.
        box.dataset.pending = '1';
        void this.send('failures', { failures: { [f]: box.checked } }, () => (box.checked = !box.checked)).finally(() => delete box.dataset.pending);
      });
      this.failureBoxes.set(f, box);
      failures.append(el('label', {}, box, f));
    }
    failures.append(this.refusals.failures);

    this.ebrake.addEventListener('click', () => void this.send('ebrake', { emergencyBrake: !this.ebrakePulled }));
    this.mode.addEventListener('change', () => (this.mode.dataset.dirty = '1'));
    const modeApply = el('button', { type: 'button', 'data-testid': 'mode-apply' }, 'Apply');
    modeApply.addEventListener('click', () => {
      const patch: Record<string, unknown> = { mode: this.mode.value };
      const kmh = typed(this.driverKmh);
      // km/h is the driver's unit; the document holds m/s.
      if (this.mode.value === 'manual' || this.driverKmh.value.trim() !== '') patch.driverSpeedMps = kmh === null ? null : kmh / 3.6;
      void this.send('mode', patch, undefined, [this.mode, this.driverKmh]);
    });
    const gainsApply = el('button', { type: 'button', 'data-testid': 'gains-apply' }, 'Set gains');
    gainsApply.addEventListener('click', () => void this.send('gains', { kp: typed(this.kp), ki: typed(this.ki) }, undefined, [this.kp, this.ki]));

    const controls = el(
      'div',
      { class: 'controls' },
      failures,
      el('div', { class: 'control' }, this.ebrake, this.refusals.ebrake),
      el('div', { class: 'control' }, 'Mode', this.mode, 'setpoint (km/h)', this.driverKmh, modeApply, this.refusals.mode),
      el('div', { class: 'control' }, 'kp', this.kp, 'ki', this.ki, gainsApply, this.refusals.gains),
    );
    const title = el('h3', { style: `color: ${colour}` }, `Train ${trainId}`);
    this.root = el('div', { class: 'train', 'data-testid': 'train', 'data-train': trainId }, title, this.summary, this.note, controls, this.charts.root);
  }

  private async send(group: keyof TrainCard['refusals'], patch: Record<string, unknown>, undo?: () => void, edited: (HTMLInputElement | HTMLSelectElement)[] = []): Promise<void> {
    const result = await sendOperatorControl(this.trainId, patch);
    if (result.ok) {
      this.refusals[group].textContent = '';
      for (const input of edited) delete input.dataset.dirty;
      return;
    }
    undo?.();
    this.refusals[group].textContent = describeRefusal(result.refusal);
  }

  /** Shows the train's committed state; `plotted` is false when the document has no simulated time. */
  show(train: Train, plotted: boolean): void {
    const m = train.model;
    const w = train.wayside;
    const c = train.controller;
    const op = train.operator;
    const acting = m ? FAILURES.filter((f) => m.failures[f]) : [];
    this.summary.textContent = [
      `${train.line} Line`,
      m ? `block ${m.block ?? 'yard'}` : 'no model yet',
      m ? `${fixed(m.speedMps * 3.6, 1)} km/h` : null,
      w ? `commanded ${fixed(w.commandedSpeedMps * 3.6, 1)} km/h, limit ${fixed(w.speedLimitMps * 3.6, 0)} km/h` : 'no wayside command',
      c ? `power ${fixed(c.powerCommandW / 1000, 1)} kW (${c.status ?? 'no status'}${c.statusMessage ? `: ${c.statusMessage}` : ''})` : 'no controller output',
      acting.length ? `failures acting: ${acting.join(', ')}` : null,
      m?.emergencyBrakeActive ? 'EMERGENCY BRAKE' : null,
    ]
      .filter(Boolean)
      .join(' · ');
    this.note.textContent = plotted ? '' : 'The document has no simulated time (simTimeS) for this train: nothing to plot against.';
    for (const f of FAILURES) {
      const box = this.failureBoxes.get(f);
      if (box && box.dataset.pending !== '1') box.checked = op?.failures?.[f] ?? false;
    }
    this.ebrakePulled = op?.emergencyBrake ?? false;
    this.ebrake.textContent = this.ebrakePulled ? 'Release emergency brake' : 'Pull emergency brake';
    this.ebrake.classList.toggle('pulled', this.ebrakePulled);
    if (this.mode.dataset.dirty !== '1') this.mode.value = op?.mode ?? c?.mode ?? 'auto';
    const driver = op?.driverSpeedMps ?? c?.driverSpeedMps;
    refresh(this.driverKmh, driver === undefined ? undefined : Math.round(driver * 3.6 * 10) / 10);
    refresh(this.kp, op?.kp ?? c?.kp);
    refresh(this.ki, op?.ki ?? c?.ki);
  }

  draw(columns: Readonly<SeriesColumns>): void {
    this.charts.draw(columns);
  }
}
