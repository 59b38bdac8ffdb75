import { idleWorker, runWorker } from './harness.js';

await runWorker(idleWorker('staff-bot', 'the staff bot arrives with issue 8'));
