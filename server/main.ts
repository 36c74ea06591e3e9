// `npm start`: the server with settings from the environment (PORT, HOST, DATABASE_URL,
// AGENTCOP_DATA_DIR, AGENTCOP_BOOTSTRAP_KEY, AGENTCOP_PUBLIC_URL, LOG_LEVEL).
import { optionsFromEnv, serve } from './serve.js';

serve(optionsFromEnv()).catch((err: Error) => {
  process.stderr.write(`agentcop: server failed to start: ${err.message}\n`);
  process.exit(1);
});
