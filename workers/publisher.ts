import { idleWorker, runWorker } from './harness.js';

await runWorker(idleWorker('publisher', 'publishing approved answers arrives with issue 7'));
