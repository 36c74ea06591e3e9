// The bundle's entry (action/dist/index.js). main.ts stays importable without side effects.
import { run } from './main.js';

await run();
