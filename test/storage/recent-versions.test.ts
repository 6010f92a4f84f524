/**
 * Change events against the previous version use the lines and cells this connection remembered writing it
 * with; they must be exactly the diffs made from the stored rows (a fresh connection remembers nothing).
 */
import { describe, expect, it } from 'vitest';
import { ingestFetch, openArchive } from '../../storage/index.ts';
import type { Archive, ChangeEvent } from '../../storage/index.ts';
import { editAfter, fetchOf, pingtanPage, tempArchive } from './helpers.ts';

const page = pingtanPage('97791');
const reworded = editAfter(page.body, '全年发布政策文件解读96篇', '获得良好的传播效果', '获得较好的传播效果');
const rewordedAgain = editAfter(reworded, '全年发布政策文件解读96篇', '获得较好的传播效果', '获得很好的传播效果');

// table 三, row (一)予以公开, column 自然人: 71 → 72
const numberEdited = editAfter(page.body, '（一）予以公开', '>71<', '>72<');

const textChange = (events: ChangeEvent[]) => events.find((e) => e.kind === 'text_changed')?.detail;
const numbersChange = (events: ChangeEvent[]) => events.find((e) => e.kind === 'numbers_changed')?.detail;

describe('change events from remembered versions', () => {
  /** The diff `pick` takes from the events of ingesting `edited` after `page`: in one connection (remembered) and after a reopen (rows). */
  function bothWays<T>(edited: Uint8Array, pick: (events: ChangeEvent[]) => T): { fromMemory: T; fromRows: T } {
    const warm = tempArchive();
    const cold = tempArchive();
    try {
      ingestFetch(warm.db, fetchOf(page));
      const fromMemory = pick(ingestFetch(warm.db, fetchOf(page, { body: edited })).events);
      ingestFetch(cold.db, fetchOf(page));
      cold.db.close();
      const reopened: Archive = openArchive(cold.path);
      try {
        return { fromMemory, fromRows: pick(ingestFetch(reopened, fetchOf(page, { body: edited })).events) };
      } finally {
        reopened.close();
      }
    } finally {
      warm.cleanup();
      cold.cleanup();
    }
  }

  it('the same cell diff as from the stored rows of a reopened archive', () => {
    const { fromMemory, fromRows } = bothWays(numberEdited, numbersChange);
    expect(fromRows).toEqual({ cells: [{ table: 'applications', key: 'granted.natural_person', old: 71, new: 72 }] });
    expect(fromMemory).toEqual(fromRows);
  });

  it('the same diff as from the stored row of a reopened archive', () => {
    const { fromMemory, fromRows } = bothWays(reworded, textChange);
    expect(fromRows).toEqual({ removed: [expect.stringContaining('获得良好的传播效果')], added: [expect.stringContaining('获得较好的传播效果')] });
    expect(fromMemory).toEqual(fromRows);
  });

  it('a version rolled back is not remembered as the one that took its place', () => {
    const { db, cleanup } = tempArchive();
    try {
      // version written, then rolled back: its lines were remembered under an id a later version may get
      expect(() => db.transaction(() => {
        ingestFetch(db, fetchOf(page, { body: rewordedAgain }));
        throw new Error('rollback');
      })()).toThrow('rollback');
      const first = ingestFetch(db, fetchOf(page));
      const second = ingestFetch(db, fetchOf(page, { body: reworded }));
      expect(first.versionId).not.toBeNull();
      // against the original text (what the stored row says), not the rolled-back rewording
      expect(textChange(second.events)).toEqual({
        removed: [expect.stringContaining('获得良好的传播效果')], added: [expect.stringContaining('获得较好的传播效果')],
      });
    } finally {
      cleanup();
    }
  });
});
