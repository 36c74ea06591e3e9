// Spreadsheet helper: turns a question into a formula and evaluates it (CommonJS service).
const { ChatOpenAI } = require('@langchain/openai');
const { ChatPromptTemplate } = require('@langchain/core/prompts');
const { StringOutputParser } = require('@langchain/core/output_parsers');

const llm = new ChatOpenAI({ model: 'gpt-4o-mini', temperature: 0, maxTokens: 200 });

const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'Translate the question into a single JavaScript arithmetic expression over the variables given. Output only the expression.'],
  ['human', 'Variables: {vars}\nQuestion: {question}'],
]);

const chain = prompt.pipe(llm).pipe(new StringOutputParser());

function parseSettings(raw) {
  // JSON.parse of stored settings: data, not code.
  return JSON.parse(raw || '{}');
}

async function answer(question, sheet) {
  const vars = Object.keys(sheet.values).join(', ');
  const expression = await chain.invoke({ vars, question });
  const fn = new Function(...Object.keys(sheet.values), `return (${expression});`);
  const value = fn(...Object.values(sheet.values));
  return { expression, value };
}

async function handler(req, res) {
  const settings = parseSettings(req.body.settings);
  const precision = Number.isInteger(settings.precision) ? settings.precision : 2;
  try {
    const { expression, value } = await answer(String(req.body.question), req.body.sheet);
    res.json({ expression, value: Number(value).toFixed(precision) });
  } catch (err) {
    res.status(422).json({ error: 'cannot_evaluate', message: err.message });
  }
}

module.exports = { answer, handler };
