import { idleWorker, runWorker } from './harness.js';

await runWorker(idleWorker('watcher', 'the deadline watcher arrives with issue 7'));
