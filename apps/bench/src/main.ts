import { BenchError } from './errors.js';
import { parseOptions, USAGE } from './options.js';
import { renderMarkdown } from './report.js';
import { writeResults } from './results.js';
import { runBench } from './run-bench.js';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options = parseOptions(argv);
  // Progress on stderr so stdout carries only the markdown report.
  const results = await runBench(options, (line) => console.error(`[bench] ${line}`));
  const markdown = renderMarkdown(results);
  const { jsonPath, mdPath } = writeResults(options.outDir, results, markdown);
  process.stdout.write(markdown);
  console.error(`[bench] wrote ${mdPath} and ${jsonPath}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (BenchError.isInstance(error)) {
      console.error(`bench: ${error.code}: ${error.message}`);
    } else {
      console.error('bench: unexpected failure:', error);
    }
    process.exit(1);
  },
);
