import type { TrainData } from '@rail/schema';
import type { LineView } from '../src/protocol.js';
import { el, trainColour } from './dom.js';

/** The line as a strip of its blocks in block-number order, stations named, trains placed on it. */
export class LineStrips {
  private lines: Record<string, LineView> = {};

  constructor(private readonly root: HTMLElement) {}

  setLines(lines: Record<string, LineView>, problems: { line: string; message: string }[]): void {
    this.lines = lines;
    this.root.replaceChildren();
    for (const view of Object.values(lines)) {
      const strip = el('div', { class: 'strip', 'data-testid': 'line-strip', 'data-line': view.line });
      for (const block of view.blocks) {
        const cell = el('div', {
          class: block.station ? 'block has-station' : 'block',
          'data-testid': 'block',
          'data-block': String(block.number),
          title: `Block ${block.number} (section ${block.section}), ${block.lengthM} m, limit ${Math.round(block.speedLimitMps * 3.6)} km/h${block.station ? `, station ${block.station}` : ''}`,
        }, String(block.number));
        if (block.station) cell.append(el('span', { class: 'station-name', 'data-testid': 'station' }, block.station));
        strip.append(cell);
      }
      this.root.append(el('div', { class: 'line' }, el('h2', {}, `${view.line} Line — ${view.blocks.length} blocks`), strip));
    }
    for (const p of problems) this.root.append(el('div', { class: 'problem', 'data-testid': 'line-problem' }, p.message));
  }

  /** Highlights occupied blocks and draws each train's marker: position in its block and direction. */
  showTrains(doc: TrainData): void {
    for (const cell of this.root.querySelectorAll<HTMLElement>('.block.occupied')) {
      cell.classList.remove('occupied');
      cell.removeAttribute('data-occupied');
    }
    for (const marker of this.root.querySelectorAll('.marker')) marker.remove();
    const ids = Object.keys(doc.trains).sort();
    ids.forEach((id, index) => {
      const train = doc.trains[id];
      const model = train?.model;
      if (!train || !model || model.block === null) return;
      const view = this.lines[train.line];
      const strip = this.root.querySelector<HTMLElement>(`.strip[data-line="${CSS.escape(train.line)}"]`);
      const cell = strip?.querySelector<HTMLElement>(`.block[data-block="${model.block}"]`);
      if (!view || !cell) return;
      const block = view.blocks.find((b) => b.number === model.block);
      const step = model.routeIndex === undefined ? undefined : view.route[model.routeIndex];
      const backwards = step !== undefined && (step.direction === -1 || step.direction === 'backward');
      const fraction = block && block.lengthM > 0 ? Math.min(1, Math.max(0, model.positionInBlockM / block.lengthM)) : 0.5;
      // In block-number order, travelling towards lower numbers means moving left across the cell.
      const across = backwards ? 1 - fraction : fraction;
      cell.classList.add('occupied');
      cell.setAttribute('data-occupied', [cell.getAttribute('data-occupied'), id].filter(Boolean).join(' '));
      const marker = el('span', {
        class: 'marker',
        'data-testid': 'train-marker',
        'data-train': id,
        'data-block': String(model.block),
        'data-direction': backwards ? 'backward' : 'forward',
        'data-distance-m': model.distanceM.toFixed(1),
        style: `left: ${(across * 100).toFixed(1)}%; background: ${trainColour(index)}`,
        title: `${id}: block ${model.block}, ${model.positionInBlockM.toFixed(0)} m in, ${(model.speedMps * 3.6).toFixed(1)} km/h`,
      }, backwards ? `◀${id}` : `${id}▶`);
      cell.append(marker);
    });
  }
}
