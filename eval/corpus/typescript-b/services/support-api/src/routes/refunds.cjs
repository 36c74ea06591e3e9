'use strict';

const express = require('express');
const { Anthropic } = require('@anthropic-ai/sdk');
const { issueRefund, getPayment } = require('../lib/payments.cjs');

const router = express.Router();
const claude = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });

function describePayment(p) {
  return [
    `Payment ${p.id} of £${(p.amountPence / 100).toFixed(2)} on ${p.createdAt}`,
    `Card: ${p.card.number} exp ${p.card.expMonth}/${p.card.expYear} CVC ${p.card.cvc}`,
    `Customer: ${p.customer.name}, ${p.customer.address}`,
  ].join('\n');
}

async function shouldRefund(payment, complaint) {
  const msg = await claude.messages.create({
    model: 'claude-3-5-haiku-latest',
    max_tokens: 10,
    system: 'You decide refund requests for Brightline Energy. Answer YES or NO.',
    messages: [{ role: 'user', content: `${describePayment(payment)}\n\nComplaint: ${complaint}` }],
  });
  const block = msg.content.find((b) => b.type === 'text');
  return block ? block.text.trim().toUpperCase() : 'NO';
}

router.post('/refunds', async (req, res, next) => {
  try {
    const payment = await getPayment(req.body.paymentId);
    const answer = await shouldRefund(payment, String(req.body.complaint).slice(0, 3000));
    if (answer === 'YES') {
      const refund = await issueRefund(payment.id, payment.amountPence);
      return res.json({ status: 'refunded', refundId: refund.id });
    }
    res.json({ status: 'declined' });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
