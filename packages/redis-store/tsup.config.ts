import { railPackage } from '../../tsup.base';

export default railPackage({ entry: ['src/index.ts', 'src/testing.ts'] });
