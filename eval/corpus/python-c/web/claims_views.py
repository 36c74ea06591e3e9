"""Django views for the self-service insurance claims flow."""
import json
import logging

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_POST
from openai import OpenAI

from claims.models import Claim
from claims.payments import pay_out

log = logging.getLogger(__name__)
client = OpenAI(api_key=settings.OPENAI_API_KEY, timeout=60)

ADJUSTER_PROMPT = ("You are a claims adjuster for Acme Home Insurance. Read the claim "
                   "and photos description. Respond with JSON {\"covered\": bool, "
                   "\"payout\": number}.")


def assess(claim: Claim) -> dict:
    resp = client.chat.completions.create(
        model="gpt-4o",
        max_tokens=200,
        response_format={"type": "json_object"},
        messages=[{"role": "system", "content": ADJUSTER_PROMPT},
                  {"role": "user", "content": claim.description}],
    )
    return json.loads(resp.choices[0].message.content)


@require_POST
def submit_claim(request):
    claim = Claim.objects.create(owner=request.user, description=request.POST["description"])
    verdict = assess(claim)
    if verdict.get("covered"):
        pay_out(claim, amount=float(verdict["payout"]))
        claim.status = "paid"
    else:
        claim.status = "rejected"
    claim.save()
    return JsonResponse({"status": claim.status})


def adjuster_debug(request):
    log.info("adjuster prompt requested by %s", request.user)
    return JsonResponse({"prompt": ADJUSTER_PROMPT, "model": "gpt-4o"})
