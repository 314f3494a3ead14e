import uPlot from 'uplot';
import type { SeriesColumns } from '../src/history.js';
import { el } from './dom.js';

type Scaled = (number | null)[];

/** Unit conversion happens here, at the edge: the series stay SI (m/s, W, m). */
const kmh = (values: readonly (number | null)[]): Scaled => values.map((v) => (v === null ? null : v * 3.6));
const kw = (values: readonly (number | null)[]): Scaled => values.map((v) => (v === null ? null : v / 1000));

interface ChartSpec {
  key: string;
  title: string;
  unit: string;
  series: { label: string; stroke: string; dash?: number[] }[];
  data: (c: Readonly<SeriesColumns>) => Scaled[];
}

const SPECS: ChartSpec[] = [
  {
    key: 'speed',
    title: 'Speed, commanded speed and block limit',
    unit: 'km/h',
    series: [
      { label: 'speed', stroke: '#1f77b4' },
      { label: 'commanded', stroke: '#2a9d4a', dash: [6, 4] },
      { label: 'limit', stroke: '#d62828', dash: [2, 3] },
    ],
    data: (c) => [kmh(c.speedMps), kmh(c.commandedSpeedMps), kmh(c.speedLimitMps)],
  },
  {
    key: 'power',
    title: 'Power command',
    unit: 'kW',
    series: [{ label: 'power', stroke: '#e67e22' }],
    data: (c) => [kw(c.powerCommandW)],
  },
  {
    key: 'authority',
    title: 'Authority left',
    unit: 'm',
    series: [{ label: 'authority', stroke: '#9b59b6' }],
    data: (c) => [[...c.authorityM]],
  },
];

/** The three uPlot time plots of one train. */
export class TrainCharts {
  readonly root: HTMLElement;
  private readonly plots: { spec: ChartSpec; plot: uPlot; box: HTMLElement }[] = [];

  constructor(trainId: string) {
    this.root = el('div', { class: 'charts' });
    for (const spec of SPECS) {
      const box = el('div', { class: 'chart', 'data-testid': `chart-${spec.key}`, 'data-train': trainId, 'data-points': '0' }, el('h4', {}, `${spec.title} (${spec.unit})`));
      this.root.append(box);
      const opts: uPlot.Options = {
        width: 320,
        height: 170,
        scales: { x: { time: false } },
        // Labels only: values under the cursor would make the legend jump as data streams in.
        legend: { show: true, live: false },
        axes: [
          { label: 'simulated time (s)', size: 36 },
          { label: spec.unit, size: 52 },
        ],
        series: [
          { label: 't (s)' },
          ...spec.series.map((s) => ({ label: s.label, stroke: s.stroke, width: 1.5, ...(s.dash ? { dash: s.dash } : {}), spanGaps: false })),
        ],
      };
      const empty: uPlot.AlignedData = [[], ...spec.series.map(() => [])];
      const plot = new uPlot(opts, empty, box);
      this.plots.push({ spec, plot, box });
    }
  }

  /** Redraws from the train's series (called at most once per animation frame). */
  draw(columns: Readonly<SeriesColumns>): void {
    for (const { spec, plot, box } of this.plots) {
      plot.setData([[...columns.tS], ...spec.data(columns)] as uPlot.AlignedData);
      box.setAttribute('data-points', String(plot.data[0].length));
    }
  }

  resize(): void {
    for (const { plot, box } of this.plots) {
      const width = Math.max(240, box.clientWidth - 4);
      if (Math.abs(width - plot.width) > 2) plot.setSize({ width, height: 170 });
    }
  }
}
