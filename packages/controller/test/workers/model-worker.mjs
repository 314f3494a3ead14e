// Child process: the train model runner on a shared file. argv: path, maxTicks, speed.
import { openJsonFile } from '@rail/atomic-file';
import { isTrainData } from '@rail/schema';
import { loadBuiltinLine } from '@rail/track';
import { runTrainModel } from '@rail/train-model';

const [path, maxTicks, speed] = process.argv.slice(2);
const doc = openJsonFile(path, { validate: isTrainData, durability: 'relaxed' });
const stats = await runTrainModel({ doc, layouts: new Map([['Blue', loadBuiltinLine('Blue')]]), maxTicks: Number(maxTicks), speed: Number(speed) }).done;
await doc.close();
process.stdout.write(JSON.stringify(stats));
