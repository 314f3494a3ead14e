export { runDoctor, DOCTOR_DEFAULTS } from './doctor/run-doctor.js';
export { formatDoctorReport } from './doctor/format-doctor.js';
export type { DoctorCheck, DoctorOptions, DoctorReport, CheckStatus } from './doctor/types.js';
export { inspect, inspectDocument, formatInspect, type InspectResult, type InspectRow } from './inspect.js';
export { importLegacy, type ImportLegacyOptions, type ImportLegacyResult } from './import-legacy.js';
export { runCli, EXIT, USAGE, type CliIo } from './cli.js';
export { serveDashboard, type ServeDashboardOptions, type ServedDashboard } from './serve-dashboard.js';
export { authorityLeftM, STOPPED_BELOW_MPS } from './authority.js';
export { RailCliError, type RailCliErrorCode } from './errors.js';
