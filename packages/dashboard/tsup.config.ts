import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { defineConfig } from 'tsup';
import { railPackage } from '../../tsup.base';

const require = createRequire(import.meta.url);

/**
 * Two builds: the server (the house recipe; `clean` spares dist/ui, which the second build owns) and
 * the page, bundled for the browser with uPlot so it is served with no CDN.
 */
export default [
  railPackage({ clean: ['!ui/**'], shims: true }),
  defineConfig({
    entry: { main: 'ui/main.ts' },
    outDir: 'dist/ui',
    format: ['iife'],
    platform: 'browser',
    target: 'es2020',
    noExternal: ['uplot'],
    minify: true,
    sourcemap: true,
    clean: true,
    dts: false,
    outExtension: () => ({ js: '.js' }),
    async onSuccess() {
      await mkdir('dist/ui', { recursive: true });
      await copyFile('ui/index.html', 'dist/ui/index.html');
      await copyFile('ui/styles.css', 'dist/ui/styles.css');
      await copyFile(require.resolve('uplot/dist/uPlot.min.css'), 'dist/ui/uplot.min.css');
    },
  }),
];
