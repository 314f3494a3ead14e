export { startDashboard, type DashboardOptions, type DashboardHandle } from './server.js';
export { DashboardError, type DashboardErrorCode, type DashboardIssue } from './errors.js';
export type { DashboardLine, DashboardRouteStep } from './line-view.js';
export type {
  HealthView,
  HelloMessage,
  RevisionMessage,
  LineView,
  BlockView,
  RouteStepView,
  LockOwnerView,
  OperatorRefusal,
} from './protocol.js';
export type { SeriesColumns, SeriesPoint } from './history.js';
