import { runWayside } from '@rail/wayside';
import { hostModule } from './module-host.js';

await hostModule('wayside', (options) => runWayside(options));
