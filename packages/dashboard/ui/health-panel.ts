import type { HealthView, QuantilesView } from '../src/protocol.js';
import { clock, el, fixed } from './dom.js';

function q(v: QuantilesView): string {
  return v.count === 0 ? 'no samples' : `p50 ${fixed(v.p50, 1)} · p99 ${fixed(v.p99, 1)} ms (n=${v.count})`;
}

/** The store's health: rates, latencies, recoveries, the lock holder, and the banners above the page. */
export class HealthPanel {
  constructor(
    private readonly root: HTMLElement,
    private readonly staleBanner: HTMLElement,
    private readonly errorBanner: HTMLElement,
  ) {}

  show(h: HealthView): void {
    const lock =
      h.lockOwnerStatus === 'held' && h.lockOwner
        ? `pid ${h.lockOwner.pid}${h.lockOwner.label ? ` (${h.lockOwner.label})` : ''} on ${h.lockOwner.host}`
        : h.lockOwnerStatus === 'error'
          ? (h.lockOwnerError ?? 'unreadable')
          : h.lockOwnerStatus === 'free'
            ? 'free'
            : 'n/a for this store';
    const rows: [string, string, string][] = [
      ['revision', 'Revision', h.revision === null ? 'none yet' : String(h.revision)],
      ['rate', 'Revision rate', `${h.revisionRatePerS.toFixed(1)} /s`],
      ['propagation', 'Commit → dashboard', q(h.propagationMs)],
      ['update-latency', 'Update latency (dashboard writes)', q(h.updateLatencyMs)],
      ['lock-wait', 'Lock wait (dashboard writes)', q(h.lockWaitMs)],
      ['retries', 'Retries', String(h.retries)],
      ['restores', 'Restores', String(h.restores)],
      ['errors', 'Errors', String(h.errors)],
      ['stale-takeovers', 'Stale-lock takeovers', String(h.staleTakeovers)],
      ['lock', 'Lock holder', lock],
      ['clients', 'Pages open', String(h.clients)],
    ];
    const table = el('table', {});
    for (const [key, label, value] of rows) table.append(el('tr', { 'data-testid': `health-${key}` }, el('td', {}, label), el('td', {}, value)));
    const events = el('ul', { class: 'events', 'data-testid': 'events' });
    for (const e of h.recentEvents) events.append(el('li', {}, `${clock(e.at)} ${e.type}: ${e.text}`));
    this.root.replaceChildren(el('h2', {}, 'Store health'), table);
    if (h.statsError) this.root.append(el('div', { class: 'problem' }, h.statsError));
    this.root.append(el('h2', {}, 'Recent events'), events);

    if (h.stale && h.lastRevisionAt) {
      this.staleBanner.hidden = false;
      this.staleBanner.textContent = `No new revision since ${clock(h.lastRevisionAt)} (${Math.round((h.sinceLastRevisionMs ?? 0) / 1000)} s): is the simulation running?`;
    } else {
      this.staleBanner.hidden = true;
    }
    if (h.docError) {
      this.errorBanner.hidden = false;
      const issues = h.docError.issues.map((i) => `\n  ${i.path} ${i.message}`).join('');
      this.errorBanner.textContent = `${clock(h.docError.at)} ${h.docError.message}${issues}\nShowing the last good revision.`;
    } else {
      this.errorBanner.hidden = true;
      this.errorBanner.textContent = '';
    }
  }
}
