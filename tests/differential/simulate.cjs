// Reads one simulation per line (JSON) on stdin, answers one line per simulation on stdout:
// {"result": "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied"} or {"error": "..."}.
const readline = require('readline');
const { runSimulation } = require('@cloud-copilot/iam-simulate');

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    let answer;
    try {
      const result = await runSimulation(JSON.parse(line), {});
      answer = result.resultType === 'error'
        ? { error: JSON.stringify(result.errors) }
        : { result: result.overallResult };
    } catch (err) {
      answer = { error: String(err) };
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  });
});
