import type { DoctorReport } from './types.js';

const LABEL = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

/** The doctor's report as terminal text: one block per check, then a verdict line. */
export function formatDoctorReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines = [`rail doctor ${report.path}`, ''];
  for (const check of report.checks) {
    lines.push(`${LABEL[check.status]}  ${check.name.padEnd(width)}  ${check.evidence}`);
    if (check.hint !== undefined) lines.push(`      ${' '.repeat(width)}  → ${check.hint}`);
  }
  const count = (s: string) => report.checks.filter((c) => c.status === s).length;
  lines.push('', `${count('pass')} pass, ${count('warn')} warn, ${count('fail')} fail (exit ${report.exitCode})`);
  return lines.join('\n');
}
