/** The undecoded-bytes test for 信息索引 labels must hit wherever the decoded text has one (else labels are lost). */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { encodedIndexLabel, INDEX_LABEL } from '../parsers/index-label.ts';

const SAMPLES = [
  '索引号：FJ00101', '索 引 号:1', '索\u3000引\u3000号', '发文机关 平潭', '发\u00a0布\u2003机构', '成文日期：2024-01-01',
  '生成日期', '发文字号', '文号：', '文 号\u3000：', '标题:', '标\ufeff题：', '发布日期：2024年', '<td>发布 日期</td>',
];
const NEAR_MISSES = ['索引', '发文', '文号', '标题', '发布时间', '成文', '日期：2024'];

describe('encodedIndexLabel', () => {
  for (const charset of ['utf-8', 'gb18030']) {
    const view = (s: string) => (charset === 'utf-8' ? Buffer.from(s, 'utf8') : iconv.encode(s, charset)).toString('latin1');
    it(`${charset}: hits every label the decoded text has, and not the near misses`, () => {
      const re = encodedIndexLabel(charset)!;
      for (const s of SAMPLES) {
        expect(INDEX_LABEL.test(s), s).toBe(true);
        expect(re.test(view(`前文${s}后文`)), s).toBe(true);
      }
      for (const s of NEAR_MISSES) {
        expect(INDEX_LABEL.test(s), s).toBe(false);
        expect(re.test(view(s)), s).toBe(false);
      }
    });
  }
  it('has no byte form for other charsets (the caller decodes)', () => {
    expect(encodedIndexLabel('big5')).toBeNull();
  });
});
