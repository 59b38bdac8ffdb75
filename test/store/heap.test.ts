import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { EmbeddedStoreError } from '../../store/embedded/errors.js';
import { chooseHeap } from '../../store/embedded/heap.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-heap-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A sparse file: the size is what the sizing reads, no disk is spent. */
function dataFileOf(mb: number): string {
  const file = path.join(dir, `data-${mb}.mv.db`);
  fs.closeSync(fs.openSync(file, 'w'));
  fs.truncateSync(file, mb * 1024 * 1024);
  return file;
}

describe('embedded store heap', () => {
  it('grows the heap with the data file when the admin leaves it unset', () => {
    expect(chooseHeap(path.join(dir, 'absent.mv.db'), null).heapMb).toBe(512);
    const big = chooseHeap(dataFileOf(2048), null);
    expect(big.dataMb).toBe(2048);
    expect(big.heapMb).toBe(384 + 1024);
  });

  it('refuses a configured heap too small for the data, naming the variable and the size that would do', () => {
    const file = dataFileOf(1024);
    const error = (() => {
      try {
        chooseHeap(file, 300);
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EmbeddedStoreError);
    expect((error as Error).message).toContain('OTKLIK_STORE_HEAP_MB=300 is too small for the data file (1024 MiB)');
    expect((error as Error).message).toContain('at least 512 MiB');
    expect(chooseHeap(file, 512).heapMb).toBe(512);
  });
});
