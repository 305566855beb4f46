import type { BenchResult } from "../run";
import { runCompiled } from "../support/compiled";

// The measurement and what each metric means: amazon-report-measure.ts. It runs compiled, as production runs app code.

export const run = (): Promise<BenchResult> => runCompiled("bench/imports/amazon-report-measure.ts");
