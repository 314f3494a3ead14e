import { runTrainModel } from '@rail/train-model';
import { hostModule } from './module-host.js';

await hostModule('train-model', (options) => runTrainModel(options));
