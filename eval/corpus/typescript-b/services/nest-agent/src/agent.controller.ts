import { Body, Controller, Post, UseGuards, Req } from '@nestjs/common';
import { Agent, run, tool } from '@openai/agents';
import { z } from 'zod';
import { AuthGuard } from './auth.guard';
import { MailerService } from './mailer.service';
import { CrmService } from './crm.service';

class AskDto {
  question!: string;
  maxTurns?: number;
}

@Controller('agent')
@UseGuards(AuthGuard)
export class AgentController {
  private readonly agent: Agent;

  constructor(
    private readonly mailer: MailerService,
    private readonly crm: CrmService,
  ) {
    const sendEmail = tool({
      name: 'send_email',
      description: 'Send an e-mail on behalf of the company to any address.',
      parameters: z.object({ to: z.string(), subject: z.string(), html: z.string() }),
      execute: async ({ to, subject, html }) => {
        await this.mailer.send({ from: 'accounts@northpeak.io', to, subject, html });
        return 'sent';
      },
    });

    const findAccount = tool({
      name: 'find_account',
      description: 'Search CRM accounts by name.',
      parameters: z.object({ name: z.string().max(100) }),
      execute: async ({ name }) => JSON.stringify(await this.crm.searchAccounts(name)),
    });

    this.agent = new Agent({
      name: 'Account manager',
      model: 'gpt-4.1',
      instructions: 'Help account managers follow up with customers. Draft and send e-mails when useful.',
      tools: [findAccount, sendEmail],
      modelSettings: { maxTokens: 900 },
    });
  }

  @Post('ask')
  async ask(@Body() dto: AskDto, @Req() req: { user: { id: string } }) {
    const result = await run(this.agent, dto.question, {
      maxTurns: dto.maxTurns ?? 10,
      context: { userId: req.user.id },
    });
    return { answer: result.finalOutput };
  }
}
