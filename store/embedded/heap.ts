import fs from 'node:fs';
import { EmbeddedStoreError } from './errors.js';

/**
 * The embedded store's heap, sized from its data file. mongo-java-server keeps what a query
 * or an aggregation matches in memory (a month of one municipality for the report, the open
 * incidents for the watcher), and H2 keeps its page cache beside that; at 256 MiB it ran out
 * at 50,000 incidents and answered «Unable to read the page … Could not deserialize». The
 * JVM is also told to exit on running out (pm2 starts it again), so it never answers from a
 * half-failed read.
 */
export interface HeapChoice {
  readonly heapMb: number;
  readonly dataMb: number;
  readonly reason: string;
}

/** Below this for a data file of `dataMb`, the store is refused a start: it would fail under the first report. */
export function minimumHeapMb(dataMb: number): number {
  return Math.round(256 + dataMb * 0.25);
}

/** What it is given unless an admin says otherwise. */
export function recommendedHeapMb(dataMb: number): number {
  return Math.min(8192, Math.max(512, Math.round(384 + dataMb * 0.5)));
}

export function chooseHeap(dataFile: string, configuredMb: number | null): HeapChoice {
  const dataMb = fs.existsSync(dataFile) ? Math.round(fs.statSync(dataFile).size / (1024 * 1024)) : 0;
  if (configuredMb === null) {
    const heapMb = recommendedHeapMb(dataMb);
    return { heapMb, dataMb, reason: `sized from the data file (${dataMb} MiB): ${heapMb} MiB` };
  }
  const minimum = minimumHeapMb(dataMb);
  if (configuredMb < minimum) {
    throw new EmbeddedStoreError(
      `OTKLIK_STORE_HEAP_MB=${configuredMb} is too small for the data file (${dataMb} MiB): the store needs at least ${minimum} MiB and would run out of memory under the monthly report.`,
      `Set OTKLIK_STORE_HEAP_MB to ${recommendedHeapMb(dataMb)} or more, or unset it to size the heap from the data; past a few GiB of data, point MONGODB_URI at a MongoDB replica set.`,
    );
  }
  return { heapMb: configuredMb, dataMb, reason: `OTKLIK_STORE_HEAP_MB=${configuredMb} (data file ${dataMb} MiB)` };
}

/**
 * H2's page cache, inside the heap: a quarter of it. H2's default (16 MiB) held a small
 * share of the hot pages once the file passed a few hundred MiB, and every miss read and
 * decoded a page again.
 */
export function pageCacheMb(heapMb: number): number {
  return Math.max(16, Math.floor(heapMb / 4));
}
