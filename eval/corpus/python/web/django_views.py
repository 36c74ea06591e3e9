"""Django views for the small-business loan pre-qualification assistant."""
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from openai import OpenAI

from .models import LoanApplication

client = OpenAI()


def _ask(system: str, user: str, max_tokens: int = 500) -> str:
    r = client.chat.completions.create(
        model="gpt-4o",
        max_tokens=max_tokens,
        messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
    )
    return r.choices[0].message.content


@login_required
def explain_terms(request: HttpRequest):
    question = request.GET.get("q", "")[:1000]
    answer = _ask("Explain loan terms to a small-business owner. Use simple HTML.", question)
    return render(request, "loans/explain.html", {"answer": mark_safe(answer)})


@login_required
@require_POST
def prequalify(request: HttpRequest):
    app = LoanApplication.objects.get(pk=request.POST["application_id"], owner=request.user)
    summary = json.dumps(
        {"revenue": app.annual_revenue, "years": app.years_in_business, "amount": app.amount_requested}
    )
    verdict = _ask(
        "You are a credit officer. Reply APPROVED or DECLINED on the first line, then one sentence why.",
        summary,
        max_tokens=60,
    )
    if verdict.strip().upper().startswith("APPROVED"):
        app.status = LoanApplication.Status.PREQUALIFIED
    else:
        app.status = LoanApplication.Status.DECLINED
    app.decision_note = verdict
    app.save(update_fields=["status", "decision_note"])
    return JsonResponse({"status": app.status})
