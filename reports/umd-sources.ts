/**
 * The browser builds (UMD) report.html inlines, read from node_modules once each: chart.js and the
 * chartjs-chart-error-bars plugin (mean ± interval bars; it needs chart.js's `Chart` global, so it
 * comes after it). Each loses its source-map comment (browsers' devtools would otherwise try to load
 * a file that is not there) and has any `</script` defused.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const cache = new Map<string, string>();

/** The first of `names` found beside the resolved entry of `pkg` (`entryDir` below it). */
function umdSource(pkg: string, entryDir: string, names: readonly string[]): string {
  const cached = cache.get(pkg);
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve(pkg)), entryDir);
  let text: string | undefined;
  for (const name of names) {
    try {
      text = readFileSync(join(dist, name), 'utf8');
      break;
    } catch {
      // try the next name: packages ship a minified build, some versions only the unminified one
    }
  }
  if (text === undefined) throw new Error(`${pkg}: UMD build (${names.join(' or ')}) not found in ${dist}`);
  const clean = text.replace(/\/\/# sourceMappingURL=\S*\s*$/, '').replace(/<\/script/gi, '<\\/script');
  cache.set(pkg, clean);
  return clean;
}

/** chart.js's UMD build (defines the `Chart` global). */
export function chartJsUmdSource(): string {
  return umdSource('chart.js', '.', ['chart.umd.min.js', 'chart.umd.js']);
}

/** chartjs-chart-error-bars' UMD build (defines `ChartErrorBars`; needs `Chart` first). */
export function errorBarsUmdSource(): string {
  return umdSource('chartjs-chart-error-bars', '.', ['index.umd.min.js', 'index.umd.js']);
}
