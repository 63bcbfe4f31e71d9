// The browser test files in the order `npm run test:e2e` starts them: the longest first, so that
// two at a time (--test-concurrency=2) do not end with one long file running alone. The list names
// the files that took longest in a clean-clone CI run (stop 29: a11y 179 s, home 129 s, doctors
// 119 s... of 1,845 s); every other *.test.mjs follows in name order, so a new file is never left out.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const longestFirst = [
  'a11y', 'home', 'doctors', 'prescriptions', 'staff-phone', 'billing', 'drug_chain', 'needs',
  'consultation', 'dispensing', 'everyday', 'ui13',
].map((n) => `${n}.test.mjs`);
const all = readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort();
const ordered = [...longestFirst.filter((f) => all.includes(f)), ...all.filter((f) => !longestFirst.includes(f))];
console.log(ordered.map((f) => path.join('tests', 'e2e', f)).join('\n'));
