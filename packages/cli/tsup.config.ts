import { railPackage } from '../../tsup.base';

// src/bin.ts starts with a shebang, which esbuild keeps on the bin's output.
export default railPackage({ entry: ['src/index.ts', 'src/bin.ts'] });
