import type { BenchResult } from "../run";
import { runCompiled } from "../support/compiled";

// The measurement and what each metric means: csv-po-measure.ts. It runs compiled, as production runs app code.

export const run = (): Promise<BenchResult> => runCompiled("bench/imports/csv-po-measure.ts");
