import { runStrategyConformance } from '@graft/conformance';
const [pkg, factory, fixtures] = process.argv.slice(2);
const mod = await import(pkg);
const report = await runStrategyConformance(mod[factory](), { fixtures: fixtures.split(','), backends: ['cpu'] });
const failed = report.results.filter((r) => !r.ok);
console.log(report.title, report.results.length, 'tests', failed.length, 'failed');
for (const r of failed.slice(0, 15)) console.log(' ✗', r.path.join(' › '), '—', r.error?.slice(0, 300));
