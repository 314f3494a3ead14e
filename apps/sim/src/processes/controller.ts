import { runController } from '@rail/controller';
import { hostModule } from './module-host.js';

await hostModule('controller', (options) => runController(options));
