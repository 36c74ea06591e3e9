import Anthropic from '@anthropic-ai/sdk';
import { logger } from '../lib/logger';

const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY, timeout: 30_000 });

interface Patient {
  id: string;
  fullName: string;
  ssn: string;
  dateOfBirth: string;
  symptoms: string;
}

export async function assessPatient(patient: Patient) {
  const summary = `Patient ${patient.fullName}, SSN ${patient.ssn}, DOB ${patient.dateOfBirth}. Symptoms: ${patient.symptoms}`;
  logger.info(`assessing patient: ${summary}`);

  const msg = await anthropic.messages.create({
    model: 'claude-3-5-sonnet-20241022',
    max_tokens: 500,
    system: 'You are a triage nurse. Reply with URGENT or ROUTINE followed by a reason.',
    messages: [{ role: 'user', content: summary }],
  });
  const text = msg.content[0].type === 'text' ? msg.content[0].text : '';
  const urgent = text.startsWith('URGENT');

  await scheduleCare(patient.id, urgent ? 'emergency' : 'discharge_home');
  return { urgent, rationale: text };
}

async function scheduleCare(patientId: string, disposition: string) {
  logger.info(`patient ${patientId} disposition=${disposition}`);
}
