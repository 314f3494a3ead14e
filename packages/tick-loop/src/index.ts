export { startTickLoop, type TickLoop, type TickLoopOptions } from './tick-loop.js';
export { startRunner, type Runner, type RunnerStats } from './runner.js';
