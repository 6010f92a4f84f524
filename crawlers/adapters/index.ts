/** The family adapters, by registry `family`. Adding a family: one file in this directory and one line here. */
import { generic } from './generic.ts';
import { gkmlpt } from './gkmlpt.ts';
import { hanwebJpaas } from './hanweb-jpaas.ts';
import { hanwebJcms } from './hanweb-jcms.ts';
import { trsFujian } from './trs-fujian.ts';
import { trsWcm } from './trs-wcm.ts';
import type { Adapter } from './types.ts';

export const ADAPTERS: Record<string, Adapter> = {
  'trs-fujian': trsFujian,
  'hanweb-jcms': hanwebJcms,
  'trs-wcm': trsWcm,
  gkmlpt,
  'hanweb-jpaas': hanwebJpaas,
  generic,
};

export function adapterFor(family: string): Adapter {
  return ADAPTERS[family] ?? generic;
}

export type * from './types.ts';
export { anchors, trsPager, decodePage } from './types.ts';
