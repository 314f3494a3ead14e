// A wayside in its own OS process, as in the sample app: node + tsx runs it on the file in argv[2].
import { openJsonFile } from '@rail/atomic-file';
import { isTrainData, type TrainData } from '@rail/schema';
import { loadBuiltinLine } from '@rail/track';
import { runWayside } from '../../src/index.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: wayside-process.ts <train_data.json>');
const doc = openJsonFile<TrainData>(path, { validate: isTrainData, durability: 'relaxed' });
const runner = runWayside({
  doc,
  layouts: new Map([['Green', loadBuiltinLine('Green')]]),
  periodS: 0.5,
  speed: 25,
  onError: (e) => process.stderr.write(`wayside error: ${e.message}\n`),
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void runner.stop().then(() => doc.close()).then(() => process.exit(0));
});
