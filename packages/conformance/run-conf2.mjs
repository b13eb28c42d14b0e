import { runStrategyConformance } from '@graft/conformance';
import { widen } from '@graft/widen';
for (const options of [{}, { factor: 2 }]) {
  const report = await runStrategyConformance(widen(options), { fixtures: ['sequence'], backends: ['cpu'] });
  const failed = report.results.filter((r) => !r.ok);
  console.log(report.title, report.results.length, 'tests', failed.length, 'failed');
  console.log('  sites:', [...new Set(report.results.map((r) => r.path.slice(1, 3).join(' › ')).filter((p) => p.includes('after')))].join('; '));
  for (const r of failed.slice(0, 10)) console.log(' ✗', r.path.join(' › '), '—', r.error?.slice(0, 300));
}
