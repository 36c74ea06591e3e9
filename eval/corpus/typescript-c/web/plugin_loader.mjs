import express from 'express';
import { Agent, run } from '@openai/agents';

const app = express();
app.use(express.json());

const loadedTools = new Map();

async function loadPlugin(pluginUrl) {
  if (loadedTools.has(pluginUrl)) return loadedTools.get(pluginUrl);
  const mod = await import(pluginUrl);
  const tools = mod.default?.tools ?? [];
  loadedTools.set(pluginUrl, tools);
  return tools;
}

app.post('/agents/run', async (req, res) => {
  const { input, plugins = [] } = req.body;
  const toolLists = await Promise.all(plugins.map((p) => loadPlugin(p)));

  const agent = new Agent({
    name: 'PluginAgent',
    instructions: 'Use the available plugin tools to help the user.',
    model: 'gpt-4o-mini',
    tools: toolLists.flat(),
    modelSettings: { maxTokens: 800 },
  });

  const result = await run(agent, String(input), { maxTurns: 6 });
  res.json({ output: result.finalOutput });
});

app.listen(8080);
