/** The noise rules: what is stripped before hashing, and what must survive because it is the report. */
import { describe, expect, it } from 'vitest';
import { canonicalUrl, normaliseLine } from '../../storage/index.ts';
import { diffCells, diffLines } from '../../storage/index.ts';

describe('normaliseLine strips page noise', () => {
  it.each([
    ['浏览次数：123', ''],
    ['浏览次数:1,234 次', ''],
    ['【访问量：88】', ''],
    ['访问量:[1,234] 次', ''],
    ['阅读（56）', ''],
    ['点击数: 7', ''],
    ['发布时间：2025-03-10 15:35 浏览量：9', '发布时间:2025-03-10'],
    ['更新于 09:05:33', '更新于'],
    ['1234次浏览', ''],
    ['今天是2025年3月10日 星期一', ''],
    ['下载 JSESSIONID=8F3A9C2B7D1E4F60A1B2C3D4E5F60718', '下载'],
    ['token=abc123&x=1', '&x=1'],
    ['会话 a1b2c3d4-e5f6-47a8-9b0c-1d2e3f4a5b6c', '会话'],
    ['\u200b本报告\u3000根据《条例》', '本报告根据《条例》'],
    ['商业 企业 | 科研 机构', '商业企业|科研机构'],
  ])('%s → %s', (input, want) => {
    expect(normaliseLine(input)).toBe(want);
  });
});

describe('normaliseLine keeps what the report says', () => {
  it.each([
    '全年网站点击量达12万次',
    '网站总访问量1234万人次',
    '比例为3:1',
    '索引号:20230611-112657-320',
    '闽政文〔2024〕12号',
    '全年办理政府信息公开申请218件',
    '2019年12月31日',
    'www.pingtan.gov.cn',
  ])('%s', (text) => {
    expect(normaliseLine(text)).toBe(text.normalize('NFKC'));
  });
});

describe('diffs', () => {
  it('cells: changed, blanked, added and removed cells; equal ones omitted', () => {
    const c = (key: string, value: number | string | null) => ({ table: 'applications' as const, key, value, raw: null });
    expect(diffCells(
      [c('a.total', 1), c('b.total', 2), c('c.total', 3), c('d.total', '/')],
      [c('a.total', 1), c('b.total', null), c('d.total', '/'), c('e.total', 5)],
    )).toEqual([
      { table: 'applications', key: 'b.total', old: 2, new: null },
      { table: 'applications', key: 'c.total', old: 3 },
      { table: 'applications', key: 'e.total', new: 5 },
    ]);
  });

  it('lines: removed and added as multisets in page order', () => {
    expect(diffLines(['一', '二', '二', '三'], ['一', '二', '三', '四'])).toEqual({ removed: ['二'], added: ['四'] });
  });
});

describe('canonicalUrl', () => {
  it('drops fragment, default port, session parameters; lowercases the host', () => {
    expect(canonicalUrl('HTTPS://WWW.Pingtan.gov.cn:443/a/t1.htm;jsessionid=ABC?id=5&JSESSIONID=x&utm_source=y#top'))
      .toBe('https://www.pingtan.gov.cn/a/t1.htm?id=5');
    expect(canonicalUrl('http://example.gov.cn/list?page=2')).toBe('http://example.gov.cn/list?page=2');
  });
});
