import { defineConfig, type Options } from 'tsup';

/**
 * The one build recipe every published package uses: ESM + CJS + .d.ts from src/index.ts.
 * A package's tsup.config.ts is a single line; `extra` is for the rare package with more entries.
 */
export function railPackage(extra: Partial<Options> = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
    treeshake: true,
    ...extra,
  });
}
