import { runDemo } from './demo.js';

// The entry of `npm start`: everything testable lives in demo.ts; this file only binds the process.
process.exitCode = await runDemo(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
});
