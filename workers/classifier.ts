import { idleWorker, runWorker } from './harness.js';

await runWorker(idleWorker('classifier', 'classifying new messages into incidents arrives with issue 7 (classifier worker)'));
