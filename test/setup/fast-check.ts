import fc from 'fast-check';

/**
 * Property tests draw from one fixed seed, so that `npm test` and CI run the
 * same cases every time and a failure reproduces. To explore other cases, set
 * FAST_CHECK_SEED (a number, or `random` for a fresh one each run); fast-check
 * prints the seed and path of any counterexample it finds.
 */
const requested = process.env.FAST_CHECK_SEED;
if (requested !== 'random') fc.configureGlobal({seed: requested === undefined ? 20_261_205 : Number(requested)});
