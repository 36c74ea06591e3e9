'use client';

import { useEffect, useState } from 'react';

type Props = {
  articleId: string;
};

type SummaryResponse = {
  title: string;
  summaryHtml: string;
};

export function SummaryCard({ articleId }: Props) {
  const [data, setData] = useState<SummaryResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    fetch(`/api/summarize?article=${encodeURIComponent(articleId)}`)
      .then((r) => r.json())
      .then((json: SummaryResponse) => {
        if (!cancelled) setData(json);
      })
      .catch((e) => setError(String(e)));
    return () => {
      cancelled = true;
    };
  }, [articleId]);

  if (error) return <p className="error">Could not load summary.</p>;
  if (!data) return <p>Summarizing…</p>;

  return (
    <article className="summary-card">
      <h3>{data.title}</h3>
      <div className="summary-body" dangerouslySetInnerHTML={{ __html: data.summaryHtml }} />
    </article>
  );
}
