import { snakeCase } from '../../flow/javascript.js';
import { JS_LANGUAGES } from '../types.js';
import type { AssignFact, PyModel } from '../../flow/python.js';
import { plain } from '../helpers.js';
import type { Rule } from '../types.js';
import { callAt } from '../facts.js';

const MEMORY_CLASS = /(^|\.)(BufferMemory|BufferWindowMemory|ConversationSummaryMemory|ChatMessageHistory|ConversationBufferMemory|ConversationBufferWindowMemory|ConversationSummaryMemory|ConversationSummaryBufferMemory|ConversationTokenBufferMemory|ConversationEntityMemory|ChatMessageHistory|InMemoryChatMessageHistory|ChatMemoryBuffer|SimpleChatStore)$/;
const HISTORY_NAME = /^(chat_?history|history|conversation(_history)?|messages|message_history|chat_log|chat_messages|dialog(ue)?_history|memory)$/i;
const WRITE_METHODS = /^(append|extend|insert|save_context|add_message|add_messages|add_user_message|add_ai_message|put|put_messages|set|push|unshift|saveContext|addMessage|addMessages|addUserMessage|addAIMessage|addAIChatMessage)$/;
const WEB_SERVER = /^(flask|fastapi|starlette|django|quart|sanic|aiohttp\.web|slack_bolt|discord|telegram)(\.|$)|^(express|fastify|hono|koa|@koa\/router|@slack\/bolt|discord\.js|telegraf|next\/server)$/;

function sharedStores(model: PyModel): AssignFact[] {
  return model.assigns.filter((a) => {
    if (!a.fn.isModule || a.target.includes('.')) return false;
    if (a.value.type === 'call' || a.value.type === 'new_expression') return MEMORY_CLASS.test(plain(callAt(model, a.value)?.callee ?? ''));
    return (a.value.type === 'list' || a.value.type === 'array') && HISTORY_NAME.test(model.language ? snakeCase(a.target) : a.target);
  });
}

/**
 * A web server handles many users in one process. Conversation memory created once at module
 * level and written by every request hands one user's messages (and whatever personal data they
 * contain) to the next user's model call.
 */
export const rule: Rule = {
  meta: {
    id: 'sensitive-info/shared-conversation-memory',
    owasp: 'LLM02',
    asi: 'ASI03',
    cwe: 'CWE-488',
    severity: 'HIGH',
    title: 'Conversation memory shared between users',
    description: 'A single module-level conversation memory is used by every request of a web server, so one user\u2019s messages and personal data appear in other users\u2019 prompts and answers.',
    fix: 'Keep one memory per user or session (a dict keyed by the authenticated session id, or RunnableWithMessageHistory with a session store) and clear it when the session ends.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    if (![...model.modules].some((m) => WEB_SERVER.test(m))) return;
    const handlers = model.functions.filter((f) => f.isHandler);
    if (!handlers.length) return;
    for (const store of sharedStores(model)) {
      const name = store.target;
      // Runners built at module level around the memory carry it into every handler that calls them.
      const carriers = new Set([name]);
      for (const c of model.module.calls) {
        if (c.assignedTo && c.args.some((a) => a.name === 'memory' && model.text(a.node) === name)) carriers.add(c.assignedTo);
      }
      const used = handlers.some((h) =>
        h.calls.some((c) => {
          const recv = c.receiver ? model.text(c.receiver) : '';
          if (recv === name && WRITE_METHODS.test(c.name)) return true;
          if (carriers.has(recv) && c.model) return true;
          return c.args.some((a) => carriers.has(model.text(a.node)) && (c.model !== null || a.name === 'memory' || a.name === 'chat_history' || a.name === 'messages'));
        }),
      );
      if (!used) continue;
      ctx.report({ node: store.node, message: `Conversation memory '${name}' is created once for the whole server and used by every request, so users see each other's messages.` });
    }
  },
};
