// HR policy and case Q&A for client companies (LlamaIndex.TS + Next.js route handler).
import { NextRequest, NextResponse } from 'next/server';
import { VectorStoreIndex, Settings, storageContextFromDefaults, Document } from 'llamaindex';
import { OpenAI, OpenAIEmbedding } from '@llamaindex/openai';
import { auth } from '@/auth';

Settings.llm = new OpenAI({ model: 'gpt-4o-mini', maxTokens: 600 });
Settings.embedModel = new OpenAIEmbedding({ model: 'text-embedding-3-small' });

let indexPromise: Promise<VectorStoreIndex> | undefined;

async function getIndex(): Promise<VectorStoreIndex> {
  // One persisted index for every client company; each Document carries metadata.companyId.
  indexPromise ??= storageContextFromDefaults({ persistDir: './storage/hr' }).then((storageContext) =>
    VectorStoreIndex.init({ storageContext }),
  );
  return indexPromise;
}

export async function POST(req: NextRequest) {
  const session = await auth();
  if (!session?.user?.companyId) return NextResponse.json({ error: 'unauthorised' }, { status: 401 });

  const { question } = (await req.json()) as { question: string };
  const index = await getIndex();
  const queryEngine = index.asQueryEngine({ similarityTopK: 5 });
  const response = await queryEngine.query({ query: question });

  return NextResponse.json({
    answer: response.toString(),
    sources: response.sourceNodes?.map((n) => n.node.metadata.title) ?? [],
  });
}

export async function PUT(req: NextRequest) {
  const session = await auth();
  if (!session?.user?.isHrAdmin) return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  const { title, text } = (await req.json()) as { title: string; text: string };
  const index = await getIndex();
  await index.insert(new Document({ text, metadata: { title, companyId: session.user.companyId } }));
  return NextResponse.json({ ok: true });
}
