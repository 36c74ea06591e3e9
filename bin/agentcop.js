#!/usr/bin/env node
// The CLI ships compiled: `npm ci` runs `prepare`, which builds dist/.
import('../dist/cli/index.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`agentcop: ${err?.stack ?? err}\n`);
  process.exit(2);
});
