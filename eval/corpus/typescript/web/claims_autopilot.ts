// Next.js server action: auto-adjudicates small warranty claims from photos and the customer story.
'use server';

import { generateObject } from 'ai';
import { openai } from '@ai-sdk/openai';
import { z } from 'zod';
import { revalidatePath } from 'next/cache';
import { prisma } from '@/lib/prisma';
import { sendEmail } from '@/lib/mail';

const Assessment = z.object({
  covered: z.boolean(),
  payoutEur: z.number().min(0),
  explanation: z.string(),
});

async function assess(claimId: string) {
  const claim = await prisma.warrantyClaim.findUniqueOrThrow({
    where: { id: claimId },
    include: { product: true, photos: true },
  });
  const { object } = await generateObject({
    model: openai('gpt-4o'),
    schema: Assessment,
    maxTokens: 400,
    messages: [
      { role: 'system', content: 'Assess whether the damage is covered by the warranty and propose a payout.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: `Product: ${claim.product.name} bought ${claim.purchasedAt.toISOString()}\nStory: ${claim.story}` },
          ...claim.photos.map((p) => ({ type: 'image' as const, image: new URL(p.url) })),
        ],
      },
    ],
  });
  return { claim, assessment: object };
}

export async function adjudicate(claimId: string) {
  const { claim, assessment } = await assess(claimId);
  if (assessment.covered) {
    await prisma.payout.create({
      data: { claimId, amountEur: assessment.payoutEur, status: 'SCHEDULED', decidedBy: 'autopilot' },
    });
    await prisma.warrantyClaim.update({ where: { id: claimId }, data: { status: 'APPROVED' } });
  } else {
    await prisma.warrantyClaim.update({ where: { id: claimId }, data: { status: 'REJECTED' } });
  }
  await sendEmail(claim.customerEmail, 'Your warranty claim', assessment.explanation);
  revalidatePath('/claims');
  return assessment;
}
