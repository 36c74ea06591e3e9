import { Injectable, BadRequestException } from '@nestjs/common';
import { QdrantVectorStore } from '@langchain/qdrant';
import { OpenAIEmbeddings } from '@langchain/openai';
import { QdrantClient } from '@qdrant/js-client-rest';

type QdrantFilter = Record<string, unknown>;

@Injectable()
export class CrmService {
  private readonly store: Promise<QdrantVectorStore>;
  private readonly client = new QdrantClient({ url: process.env.QDRANT_URL, apiKey: process.env.QDRANT_API_KEY });

  constructor() {
    // Notes of every customer organisation live in one collection, tagged with payload.orgId.
    this.store = QdrantVectorStore.fromExistingCollection(new OpenAIEmbeddings(), {
      client: this.client,
      collectionName: 'crm-notes',
    });
  }

  async searchAccounts(name: string) {
    const res = await this.client.scroll('crm-accounts', {
      filter: { must: [{ key: 'name', match: { text: name } }] },
      limit: 10,
    });
    return res.points.map((p) => p.payload);
  }

  /** Semantic search over account notes for the signed-in org. */
  async searchNotes(orgId: string, query: string, rawFilter?: string) {
    const store = await this.store;
    let filter: QdrantFilter = { must: [{ key: 'metadata.orgId', match: { value: orgId } }] };
    if (rawFilter) {
      try {
        filter = JSON.parse(rawFilter) as QdrantFilter;
      } catch {
        throw new BadRequestException('filter must be JSON');
      }
    }
    const docs = await store.similaritySearch(query, 8, filter);
    return docs.map((d) => ({ text: d.pageContent, account: d.metadata.accountName }));
  }
}
