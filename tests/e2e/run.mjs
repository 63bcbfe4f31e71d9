// Runs the browser test files two at a time, the longest first, so that the run does not end with
// one long file alone (`node --test` sorts the files it is given by name, so it cannot be told an
// order). The list names the files that took longest in a clean-clone CI run (stop 29: a11y 179 s,
// home 129 s, doctors 119 s... of 1,845 s); every other *.test.mjs follows in name order, so a new
// file is never left out. Arguments, when given, are the files to run (in that order). Output is
// TAP, as `node --test` prints it; the exit status is 1 when a test failed. Node 18.20 or newer.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { run } from 'node:test';
import { tap } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const longestFirst = [
  'a11y', 'home', 'doctors', 'prescriptions', 'staff-phone', 'billing', 'drug_chain', 'needs',
  'consultation', 'dispensing', 'everyday', 'ui13',
].map((n) => `${n}.test.mjs`);
const all = readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort();
const ordered = [...longestFirst.filter((f) => all.includes(f)), ...all.filter((f) => !longestFirst.includes(f))];
const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => path.resolve(f)) : ordered.map((f) => path.join(dir, f));
if (files.length === 0) throw new Error('no browser test files found');

// Two files at a time (IHOS_E2E_CONCURRENCY). Three were tried on a clean clone (stop 30): the
// two cores were then busy all the time (vmstat: 0 % idle) and the browser tests took 18.9 min
// instead of 18.4 min with two.
const concurrency = Number(process.env.IHOS_E2E_CONCURRENCY ?? 2);
// The demo databases the files of this run share (helpers.mjs seedDemo): made once, copied by each,
// in a directory of this run's own (a later run never copies what an older build made), removed at
// the end, also when the run is interrupted.
const seeds = mkdtempSync(path.join(tmpdir(), 'ihos-e2e-seed-'));
process.env.IHOS_E2E_SEED_DIR = seeds;
process.on('exit', () => rmSync(seeds, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(128 + constants.signals[signal]));
const stream = run({ files, concurrency });
stream.on('test:fail', () => {
  process.exitCode = 1;
});
stream.compose(tap).pipe(process.stdout);
