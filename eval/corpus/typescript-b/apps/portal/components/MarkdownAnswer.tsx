'use client';

import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import DOMPurify from 'isomorphic-dompurify';
import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport } from 'ai';

type Props = { threadId: string; bannerHtml?: string };

const sanitize = (html: string) =>
  DOMPurify.sanitize(html, { ALLOWED_TAGS: ['b', 'i', 'em', 'strong', 'a', 'p', 'ul', 'li'], ALLOWED_ATTR: ['href'] });

export default function MarkdownAnswer({ threadId, bannerHtml }: Props) {
  const { messages, sendMessage, status } = useChat({
    id: threadId,
    transport: new DefaultChatTransport({ api: '/api/assistant' }),
  });

  return (
    <div className="thread">
      {bannerHtml ? <div className="thread__banner" dangerouslySetInnerHTML={{ __html: sanitize(bannerHtml) }} /> : null}
      {messages.map((message) => (
        <div key={message.id} className={`msg msg--${message.role}`}>
          {message.parts.map((part, i) =>
            part.type === 'text' ? (
              // react-markdown renders to React elements; raw HTML in the model output is not interpreted.
              <ReactMarkdown key={i} remarkPlugins={[remarkGfm]}>
                {part.text}
              </ReactMarkdown>
            ) : null,
          )}
        </div>
      ))}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const input = e.currentTarget.elements.namedItem('q') as HTMLInputElement;
          sendMessage({ text: input.value });
          input.value = '';
        }}
      >
        <input name="q" disabled={status !== 'ready'} />
      </form>
    </div>
  );
}
