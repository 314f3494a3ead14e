import type { Controller, Operator } from '@rail/schema';
import type { ControllerConfig } from './config.js';

export type GainSource = 'operator' | 'section' | 'defaults' | 'none';

export interface ResolvedGains {
  /** W per (m/s); null when no source gives a number. */
  kp: number | null;
  /** W per m; null when no source gives a number. */
  ki: number | null;
  source: GainSource;
}

/**
 * Picks the speed-loop gains: the operator's request, else the controller section's last values,
 * else the configured defaults. A null gain in the section is never replaced silently: the source
 * is reported, and with no defaults configured the result stays null ('no-gains').
 */
export function resolveGains(operator: Operator | undefined, section: Controller | undefined, config: Pick<ControllerConfig, 'defaultGains'>): ResolvedGains {
  if (typeof operator?.kp === 'number' && typeof operator.ki === 'number') return { kp: operator.kp, ki: operator.ki, source: 'operator' };
  if (typeof section?.kp === 'number' && typeof section.ki === 'number') return { kp: section.kp, ki: section.ki, source: 'section' };
  if (config.defaultGains !== null) return { kp: config.defaultGains.kpWsPerM, ki: config.defaultGains.kiWPerM, source: 'defaults' };
  return { kp: section?.kp ?? null, ki: section?.ki ?? null, source: 'none' };
}
