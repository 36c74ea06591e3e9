'use client';
// Chat transcript for the Helix assistant: renders streamed answers as rich text.
import { useChat } from '@ai-sdk/react';
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo } from 'react';

interface Props {
  welcomeHtml: string;
  conversationId: string;
}

function AnswerBubble({ markdown }: { markdown: string }) {
  const html = useMemo(() => marked.parse(markdown, { async: false }) as string, [markdown]);
  return <div className="bubble bubble--assistant" dangerouslySetInnerHTML={{ __html: html }} />;
}

function Welcome({ html }: { html: string }) {
  // Welcome text is CMS-authored, sanitised anyway.
  return <div className="welcome" dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(html) }} />;
}

function UserBubble({ text }: { text: string }) {
  return <div className="bubble bubble--user">{text}</div>;
}

export default function ChatTranscript({ welcomeHtml, conversationId }: Props) {
  const { messages, input, handleInputChange, handleSubmit, status } = useChat({
    api: '/api/support/chat',
    id: conversationId,
  });

  return (
    <section className="transcript">
      <Welcome html={welcomeHtml} />
      {messages.map((m) =>
        m.role === 'user' ? (
          <UserBubble key={m.id} text={m.content} />
        ) : (
          <AnswerBubble key={m.id} markdown={m.content} />
        ),
      )}
      <form onSubmit={handleSubmit} className="composer">
        <input value={input} onChange={handleInputChange} placeholder="Ask about your invoices…" />
        <button type="submit" disabled={status === 'streaming'}>
          Send
        </button>
      </form>
    </section>
  );
}
