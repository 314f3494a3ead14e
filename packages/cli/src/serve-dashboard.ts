import { AtomicFileError } from '@rail/atomic-file';
import { DashboardError, startDashboard } from '@rail/dashboard';
import { openStore, RedisStoreError } from '@rail/redis-store';
import { isTrainData, type TrainData } from '@rail/schema';
import { RailCliError } from './errors.js';
import { locateStore } from './store-target.js';

export interface ServeDashboardOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1: the controls write to the store, so not the network unless asked. */
  host?: string;
}

export interface ServedDashboard {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** The store as shown to people (a path, or the URL with any password hidden). */
  store: string;
  /** Stops the web server, then closes the store handle. */
  close(): Promise<void>;
}

/**
 * Opens a store (file path, `file:` or `redis://` URL) and serves @rail/dashboard on it. The store
 * must already hold a valid document: the dashboard would otherwise show an empty page while the
 * real mistake (a wrong path or key) goes unnoticed. Throws RailCliError: BAD_URL, NOT_FOUND,
 * INVALID_DOCUMENT, STORE_FAILED, DASHBOARD_FAILED.
 */
export async function serveDashboard(target: string, options: ServeDashboardOptions = {}): Promise<ServedDashboard> {
  const location = locateStore('dashboard', target);
  const where = location.kind === 'file' ? location.path : location.display;
  const doc = openStore<TrainData>(target, { validate: isTrainData, file: { lock: { label: 'rail dashboard' } }, redis: { label: 'rail dashboard' } });
  try {
    await doc.read();
  } catch (error) {
    await doc.close();
    throw storeError(where, error);
  }
  let dashboard: Awaited<ReturnType<typeof startDashboard>>;
  try {
    dashboard = await startDashboard({ doc, port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    await doc.close();
    if (!DashboardError.isInstance(error)) throw error;
    throw new RailCliError('DASHBOARD_FAILED', `rail dashboard: could not serve the dashboard for ${where}: ${error.message}`, { path: where, cause: error });
  }
  return {
    url: dashboard.url,
    store: where,
    close: async () => {
      try {
        await dashboard.close();
      } finally {
        await doc.close();
      }
    },
  };
}

function storeError(where: string, error: unknown): RailCliError {
  const code = AtomicFileError.isInstance(error) || RedisStoreError.isInstance(error) ? error.code : null;
  if (code === null) throw error;
  const message = (error as Error).message.replace(/\.$/, '');
  if (code === 'NOT_FOUND') {
    // The store's own message speaks to library users (write(), create()); a command-line user needs this.
    return new RailCliError('NOT_FOUND', `rail dashboard: ${where} holds no document yet. Start the modules (or \`pnpm demo\`) first, or check the path or key.`, { path: where, cause: error });
  }
  if (code === 'CORRUPT' || code === 'VALIDATION') {
    return new RailCliError('INVALID_DOCUMENT', `rail dashboard: ${where} is not a valid train_data document: ${message}\nRun \`rail doctor ${where}\`.`, { path: where, cause: error });
  }
  return new RailCliError('STORE_FAILED', `rail dashboard: could not open ${where} (${code}): ${message}. Check that the store is reachable and readable.`, { path: where, cause: error });
}
