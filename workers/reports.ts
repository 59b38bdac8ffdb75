import { idleWorker, runWorker } from './harness.js';

await runWorker(idleWorker('reports', 'the monthly report and alerts arrive with issue 8'));
