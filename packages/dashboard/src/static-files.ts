import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import { DashboardError } from './errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Where the built page is: next to the bundle when running from dist/, or in dist/ui when running
 * from the sources (tests, tsx). The page is built by `pnpm --filter @rail/dashboard build`.
 */
export function resolveUiDir(explicit?: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = explicit ? [resolve(explicit)] : [join(here, 'ui'), join(here, '..', 'dist', 'ui')];
  for (const dir of candidates) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  throw new DashboardError(
    'UI_NOT_BUILT',
    `Starting the dashboard: the built page was not found (looked for index.html in ${candidates.join(', ')}); run \`pnpm --filter @rail/dashboard build\`.`,
  );
}

/** Serves one file of the built page; answers 404 for anything outside it. */
export async function serveStatic(res: ServerResponse, uiDir: string, urlPath: string): Promise<void> {
  const name = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath.slice(1));
  const file = resolve(uiDir, name);
  if (!file.startsWith(uiDir + sep)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not found: ${urlPath}`);
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not found: ${urlPath}`);
      return;
    }
    throw new DashboardError('UI_NOT_BUILT', `Serving ${file} failed (${code ?? 'unknown error'}); rebuild the dashboard.`, { cause: error });
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  });
  res.end(body);
}
