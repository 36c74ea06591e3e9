import { OpenAIEmbeddings } from '@langchain/openai';
import { MemoryVectorStore } from 'langchain/vectorstores/memory';
import { Document } from '@langchain/core/documents';
import type { AuthSession } from '../lib/auth';
import { reviewQueue } from '../lib/review-queue';

const embeddings = new OpenAIEmbeddings({ apiKey: process.env.OPENAI_API_KEY });
export const kb = new MemoryVectorStore(embeddings);

type Submission = { id: string; title: string; text: string; tenantId: string; submittedBy: string };

export async function submitArticle(session: AuthSession, title: string, text: string) {
  const submission: Submission = {
    id: crypto.randomUUID(),
    title: title.slice(0, 200),
    text: text.slice(0, 20_000),
    tenantId: session.tenantId,
    submittedBy: session.userId,
  };
  await reviewQueue.enqueue(submission);
  return { id: submission.id, status: 'pending_review' };
}

export async function publishApproved(reviewer: AuthSession, submissionId: string) {
  if (!reviewer.roles.includes('kb_editor')) {
    throw new Error('only KB editors can publish');
  }
  const sub = (await reviewQueue.get(submissionId)) as Submission | undefined;
  if (!sub || sub.tenantId !== reviewer.tenantId) throw new Error('not found');

  await kb.addDocuments([
    new Document({
      pageContent: `${sub.title}\n\n${sub.text}`,
      metadata: { tenant_id: sub.tenantId, author: sub.submittedBy, approvedBy: reviewer.userId },
    }),
  ]);
  await reviewQueue.markPublished(submissionId, reviewer.userId);
}
