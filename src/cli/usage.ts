export const USAGE = `Usage: tradeoffs <command> [options]

Commands:
  build                     Build the report site into reports/ (--pdf: and its PDFs in reports/pdf/),
                            redoing only the reports whose template or data changed
  pdf                       Build the site and print every report, and the whole site, to PDF
  dev                       Serve the site on 127.0.0.1 (--port, default 4321), rebuild on every
                            change to data/ or templates/, reload open pages
  merge <shard-dir>...      Join the shards of build --shard into the site (--out, --pdf)
  compare <previous> [<current>]
                            List the figures that moved between two builds (sites or manifest.json)
  check                     Validate data and templates; report every problem
  estimate <scenario-id>    Print a scenario's estimate
  calibrate                 Predict every published run in data/references.yaml and compare
  new <name>                Start a report: templates/<name>.mdx and data/scenarios/<name>.yaml, commented

Options:
  --root <dir>              Project folder with data/ and templates/ (default: .)
  --out <dir>               Output folder for build and merge (default: <root>/reports)
  --shard <k/n>             build: only the k-th of n shards of the reports, for merge
  --cache <dir>             build: the cache of rendered work (default: <root>/.tradeoffs/cache)
  --no-cache                build: render every report, keep nothing
  --force                   build: render even when the site is up to date
  --replace-folder          build, merge: replace --out even if it is not a tradeoffs site (deletes what is there)
  --compare <previous>      build, merge: then list the figures that moved since a previous site
  --threshold <percent>     compare: list moves larger than this (default 1)
  --markdown <file>         compare: also append the list as Markdown (a CI job summary)
  --port <n>                dev: the port to serve on (0: any free port)
  --progress                Print progress lines (on by default in CI; live on a terminal)
  --hardware <id>           estimate: run the scenario on other hardware
  --gpus <n>, --precision <p>, --technique <name>
                            estimate: another point of the scenario's sweep
  --search                  estimate: search every layout and rank the fastest that fit
  --samples <n>             estimate: Monte Carlo samples over uncertain inputs (default 1000)
  --seed <n>                estimate: seed of the Monte Carlo (default 1); the same seed, the same numbers
  --sensitivity             estimate: rank the inputs by how far they move --output
  --output <name>           estimate: the output for --sensitivity (default gpuHours)
  --json                    estimate, calibrate: print JSON
  --verbose                 Show stack traces and causes with errors
  --version                 Print the version
  --help                    Print this help

Exit codes: 0 success, 1 problems in the data or templates, 2 wrong usage.`;

/** Wrong command-line usage: printed with the usage text, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
