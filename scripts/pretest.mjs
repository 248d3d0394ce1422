// Before `npm test` (npm runs the "pretest" script first): the system packages the tests use.
// The browser and PDF tests drive Debian's Chromium (/usr/bin/chromium) and read PDFs back with
// poppler-utils' pdftotext; the fault tests hold a build between two renames with strace. On Debian,
// as root, the missing ones are installed once, here; elsewhere this stops at once and prints the
// one command that would install them. Tests never skip for want of them.
//
// For its own test: TRADEOFFS_PRETEST_PATH (the PATH searched), TRADEOFFS_PRETEST_CHROMIUM (the
// browser's path) and TRADEOFFS_PRETEST_DRY_RUN=1 (say what would be installed, install nothing).
import {spawnSync} from 'node:child_process';
import {accessSync, constants, existsSync} from 'node:fs';
import path from 'node:path';

const env = process.env;
const searchPath = env.TRADEOFFS_PRETEST_PATH ?? env.PATH ?? '';
const chromium = env.TRADEOFFS_PRETEST_CHROMIUM ?? '/usr/bin/chromium';
const dryRun = env.TRADEOFFS_PRETEST_DRY_RUN === '1';

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
const onPath = (name) =>
  searchPath.split(path.delimiter).some((folder) => folder && executable(path.join(folder, name)));

/** What the tests need, and the Debian package that brings it. */
const needs = [
  {what: 'Chromium (/usr/bin/chromium)', found: () => executable(chromium), package: 'chromium'},
  {what: 'pdftotext', found: () => onPath('pdftotext'), package: 'poppler-utils'},
  {what: 'strace', found: () => onPath('strace'), package: 'strace'},
];

const missing = needs.filter((need) => !need.found());
if (missing.length === 0) process.exit(0);

const packages = missing.map((need) => need.package);
const debian = existsSync('/etc/debian_version') && onPath('apt-get');
const root = process.getuid?.() === 0;
const install = `apt-get update && apt-get install -y ${packages.join(' ')}`;
const what = missing.map((need) => need.what).join(', ');

if (!debian || !root) {
  const command = debian ? `sudo sh -c '${install}'` : install;
  process.stderr.write(
    `npm test needs ${what}, not found on this machine. Install ${packages.length > 1 ? 'them' : 'it'}, then run npm test again:\n\n  ${command}\n\n` +
      (debian ? '' : '(That is the Debian command; elsewhere, install the packages of the same names.)\n'),
  );
  process.exit(1);
}

process.stdout.write(`npm test needs ${what}: installing ${packages.join(', ')} (once)\n`);
if (dryRun) {
  process.stdout.write(`would run: ${install}\n`);
  process.exit(0);
}
const run = (args) =>
  spawnSync('apt-get', args, {stdio: 'inherit', env: {...env, DEBIAN_FRONTEND: 'noninteractive'}}).status === 0;
if (!run(['update', '-qq']) || !run(['install', '-y', '-qq', ...packages]) || needs.some((need) => !need.found())) {
  process.stderr.write(`Could not install ${packages.join(', ')}; run it by hand and see why:\n\n  ${install}\n\n`);
  process.exit(1);
}
