// Child process: the controller runner on a shared file until SIGTERM. argv: path, speed.
import { openJsonFile } from '@rail/atomic-file';
import { isTrainData } from '@rail/schema';
import { runController } from '../../dist/index.js';

const [path, speed] = process.argv.slice(2);
const doc = openJsonFile(path, { validate: isTrainData, durability: 'relaxed' });
const abort = new AbortController();
process.on('SIGTERM', () => abort.abort());
const stats = await runController({ doc, speed: Number(speed), signal: abort.signal }).done;
await doc.close();
process.stdout.write(JSON.stringify(stats));
