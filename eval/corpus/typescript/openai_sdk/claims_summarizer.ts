// Summarises insurance claims for adjusters with the Responses API.
import OpenAI from 'openai';
import pino from 'pino';
import { loadClaim, saveSummary } from './claims-db.js';

const log = pino({ level: 'info' });
const apiKey = process.env.OPENAI_API_KEY ?? '';
const client = new OpenAI({ apiKey, timeout: 45_000 });

log.info({ apiKey, model: 'gpt-4.1-mini' }, 'claims summariser starting');

interface Claim {
  id: string;
  policyholder: { fullName: string; ssn: string; dateOfBirth: string; bankAccount: string };
  incident: string;
  adjusterNotes: string;
}

function claimText(c: Claim): string {
  return [
    `Claim ${c.id}`,
    `Policyholder: ${c.policyholder.fullName}, SSN ${c.policyholder.ssn}, DOB ${c.policyholder.dateOfBirth}, IBAN ${c.policyholder.bankAccount}`,
    `Incident: ${c.incident}`,
    `Adjuster notes: ${c.adjusterNotes}`,
  ].join('\n');
}

export async function summarise(claimId: string): Promise<string> {
  const claim = (await loadClaim(claimId)) as Claim;
  const response = await client.responses.create({
    model: 'gpt-4.1-mini',
    instructions: 'Summarise the claim in five bullet points for an adjuster. Flag missing documents.',
    input: claimText(claim),
    max_output_tokens: 400,
  });
  const summary = response.output_text;
  await saveSummary(claimId, summary);
  log.info({ claimId, chars: summary.length }, 'summary stored');
  return summary;
}
