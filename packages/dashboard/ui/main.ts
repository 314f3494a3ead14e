import type { TrainData } from '@rail/schema';
import type { HealthView, HelloMessage, LineView, RevisionMessage } from '../src/protocol.js';
import { DecimatingSeries } from '../src/history.js';
import { trainColour } from './dom.js';
import { HealthPanel } from './health-panel.js';
import { LineStrips } from './line-strip.js';
import { TrainCard } from './train-card.js';

function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`rail dashboard: the page has no #${id}; the built index.html does not match main.js, rebuild the dashboard.`);
  return node;
}

const strips = new LineStrips(byId('lines'));
const health = new HealthPanel(byId('health'), byId('stale'), byId('doc-error'));
const trainsRoot = byId('trains');
const connection = byId('connection');

let capacity = 4000;
let lastHealth: HealthView | null = null;
const series = new Map<string, DecimatingSeries>();
const cards = new Map<string, TrainCard>();
const dirty = new Set<string>();
let frame = 0;

function seriesOf(id: string): DecimatingSeries {
  let s = series.get(id);
  if (!s) {
    s = new DecimatingSeries(capacity);
    series.set(id, s);
  }
  return s;
}

/** Charts redraw at most once per frame however fast revisions arrive. */
function scheduleDraw(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    for (const id of dirty) {
      const card = cards.get(id);
      const s = series.get(id);
      if (card && s) card.draw(s.view());
    }
    dirty.clear();
  });
}

function showDocument(doc: TrainData): void {
  const ids = Object.keys(doc.trains).sort();
  for (const [id, card] of cards) {
    if (!doc.trains[id]) {
      card.root.remove();
      cards.delete(id);
    }
  }
  ids.forEach((id, index) => {
    const train = doc.trains[id];
    if (!train) return;
    let card = cards.get(id);
    if (!card) {
      card = new TrainCard(id, trainColour(index));
      cards.set(id, card);
      trainsRoot.append(card.root);
      card.charts.resize();
      dirty.add(id);
    }
    card.show(train, series.has(id));
  });
  strips.showTrains(doc);
  scheduleDraw();
}

function setLines(lines: Record<string, LineView>): void {
  strips.setLines(lines, lastHealth?.lineProblems ?? []);
}

const source = new EventSource('api/events');
source.addEventListener('open', () => {
  connection.textContent = 'live';
  connection.className = 'connection live';
});
source.addEventListener('error', () => {
  // EventSource reconnects by itself; the server then sends the whole history again.
  connection.textContent = 'reconnecting…';
  connection.className = 'connection down';
});
source.addEventListener('hello', (event) => {
  const hello = JSON.parse((event as MessageEvent<string>).data) as HelloMessage;
  capacity = hello.historyCapacity;
  byId('location').textContent = hello.location;
  lastHealth = hello.health;
  series.clear();
  for (const [id, columns] of Object.entries(hello.history)) {
    const s = seriesOf(id);
    s.load(columns);
    dirty.add(id);
  }
  setLines(hello.lines);
  if (hello.snapshot) showDocument(hello.snapshot.value);
  health.show(hello.health);
});
source.addEventListener('lines', (event) => {
  setLines(JSON.parse((event as MessageEvent<string>).data) as Record<string, LineView>);
});
source.addEventListener('revision', (event) => {
  const message = JSON.parse((event as MessageEvent<string>).data) as RevisionMessage;
  for (const [id, point] of Object.entries(message.points)) {
    seriesOf(id).push(point);
    dirty.add(id);
  }
  showDocument(message.value);
});
source.addEventListener('health', (event) => {
  lastHealth = JSON.parse((event as MessageEvent<string>).data) as HealthView;
  health.show(lastHealth);
  if (lastHealth.lineProblems.length > 0 && !document.querySelector('[data-testid=line-problem]')) {
    for (const p of lastHealth.lineProblems) trainsRoot.before(Object.assign(document.createElement('div'), { className: 'problem', textContent: p.message }));
  }
});
window.addEventListener('resize', () => {
  for (const card of cards.values()) card.charts.resize();
});
