// Runs in a child process. It imports a worker handler module (the Lambda bundle, or the
// TypeScript source under `node --import tsx`) and invokes it once with one event. It then writes
// the timings, the peak resident memory and the handler's output as JSON to a file, because
// stdout carries the logs.
//
//   node bench/lib/invoke-worker.mjs HANDLER_MODULE EVENT_JSON RESULT_FILE
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, eventJson, resultPath] = process.argv.slice(2);
if (!modulePath || !eventJson || !resultPath) {
  process.stderr.write('Usage: invoke-worker.mjs HANDLER_MODULE EVENT_JSON RESULT_FILE\n');
  process.exit(2);
}

const importStartedAt = performance.now();
const handlerModule = await import(pathToFileURL(modulePath).href);
const importedAt = performance.now();
let output = null;
let error = null;
try {
  output = await handlerModule.handler(JSON.parse(eventJson), {});
} catch (caught) {
  error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
}
const finishedAt = performance.now();

writeFileSync(
  resultPath,
  JSON.stringify({
    // Milliseconds from process start (performance.timeOrigin) to the start of the import.
    startupMs: importStartedAt,
    importMs: importedAt - importStartedAt,
    handlerMs: finishedAt - importedAt,
    // Linux reports maxRSS in kilobytes: the peak resident set of this process.
    maxRssKb: process.resourceUsage().maxRSS,
    output,
    error,
  }),
);
// Keep-alive sockets of the SDK clients would hold the process open.
process.exit(0);
