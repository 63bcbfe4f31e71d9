// Lazy province → city → county options for Element Plus cascaders (real division codes).
import type { CascaderProps } from 'element-plus';
import { healthcodeApi } from '@/api/healthcode';

export function regionCascader(checkStrictly: boolean): CascaderProps {
  return {
    lazy: true,
    checkStrictly,
    emitPath: true,
    async lazyLoad(node, resolve) {
      const parent = node.level === 0 ? '' : String(node.value);
      const r = await healthcodeApi.regions(parent);
      resolve(r.items.map((x) => ({ value: x.code, label: x.name, leaf: x.level === 'county' })));
    },
  };
}

/** The last code of a cascader path. */
export const lastCode = (path: unknown): string => (Array.isArray(path) && path.length ? String(path[path.length - 1]) : '');
