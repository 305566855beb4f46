import { rmSync } from "node:fs";
import path from "node:path";
import { build } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

// Compiles a node entry point (the worker, a bench's measurement) with Vite, as `remix vite:build` compiles the
// server: an SSR build, so dependencies stay in node_modules and the app's modules are bundled into one ES module
// (plus chunks for dynamic imports). Running compiled code instead of tsx's per-file transform made the import jobs
// ≈ 15–25 % faster here (ADR 0032, addendum 3). The output goes inside the project so it resolves node_modules.
//
//   tsx scripts/compile-node.ts <entry.ts> <outDir>     → <outDir>/<entry name>.mjs

/** Compiles `entry` (a path from the project root) into `outDir`; returns the file to run with node. */
export async function compileForNode(entry: string, outDir: string): Promise<string> {
  const name = path.basename(entry).replace(/\.[cm]?tsx?$/, "");
  const out = path.resolve(outDir);
  rmSync(out, { recursive: true, force: true });
  await build({
    configFile: false,
    logLevel: "warn",
    root: process.cwd(),
    plugins: [tsconfigPaths()],
    publicDir: false,
    build: {
      ssr: path.resolve(entry),
      outDir: out,
      emptyOutDir: true,
      target: "node20",
      minify: false,
      sourcemap: true,
      rollupOptions: { output: { format: "es", entryFileNames: "[name].mjs", chunkFileNames: "[name]-[hash].mjs" } },
    },
  });
  return path.join(out, `${name}.mjs`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve("scripts/compile-node.ts")) {
  const [entry, outDir] = process.argv.slice(2);
  if (!entry || !outDir) {
    console.error("usage: tsx scripts/compile-node.ts <entry.ts> <outDir>");
    process.exit(2);
  }
  console.log(`compiled ${path.relative(process.cwd(), await compileForNode(entry, outDir))}`);
}
