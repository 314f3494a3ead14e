// Child process: the train model runner on a shared file, until its clock reads <simSeconds> (at
// most 10 ticks per step, so that a run whose other modules stopped answering still ends).
// argv: path, simSeconds, speed.
import { openJsonFile } from '@rail/atomic-file';
import { isTrainData } from '@rail/schema';
import { loadBuiltinLine } from '@rail/track';
import { runTrainModel } from '@rail/train-model';

const [path, simSeconds, speed] = process.argv.slice(2);
const doc = openJsonFile(path, { validate: isTrainData, durability: 'relaxed' });
const reached = new AbortController();
const stats = await runTrainModel({
  doc,
  layouts: new Map([['Blue', loadBuiltinLine('Blue')]]),
  maxTicks: (Number(simSeconds) / 0.5) * 10,
  speed: Number(speed),
  signal: reached.signal,
  onTick: (info) => {
    if (info.simTimeS >= Number(simSeconds)) reached.abort();
  },
}).done;
await doc.close();
process.stdout.write(JSON.stringify(stats));
