import type { SharedDocument } from '@rail/atomic-file';
import type { TrainData } from '@rail/schema';

/**
 * What a runner is given: any store implementing the SharedDocument contract of @rail/atomic-file
 * (`openJsonFile`, or another backend). The runner calls `read` (to skip a tick with nothing to do) and `update`.
 */
export type DocumentStore = SharedDocument<TrainData>;
