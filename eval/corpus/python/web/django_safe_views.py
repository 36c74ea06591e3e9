"""Django views for the recipe assistant: ORM queries, autoescaped templates, validated output."""
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.html import escape
from openai import OpenAI
from pydantic import BaseModel, Field, ValidationError

from .models import Recipe

client = OpenAI(timeout=20)


class Suggestion(BaseModel):
    cuisine: str = Field(max_length=40)
    max_minutes: int = Field(ge=5, le=240)
    vegetarian: bool


def _suggest(craving: str) -> Suggestion:
    r = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=120,
        response_format={"type": "json_object"},
        messages=[
            {"role": "system", "content": "Return JSON with cuisine, max_minutes, vegetarian for the craving."},
            {"role": "user", "content": craving},
        ],
    )
    return Suggestion.model_validate(json.loads(r.choices[0].message.content))


@login_required
def suggest(request: HttpRequest):
    craving = request.GET.get("craving", "")[:300]
    try:
        s = _suggest(craving)
    except (ValidationError, json.JSONDecodeError):
        return HttpResponseBadRequest("Could not understand that craving.")
    recipes = Recipe.objects.filter(
        cuisine__iexact=s.cuisine, total_minutes__lte=s.max_minutes, vegetarian=s.vegetarian
    ).order_by("-rating")[:12]
    raw = Recipe.objects.raw("SELECT * FROM recipes_recipe WHERE cuisine = %s LIMIT 3", [s.cuisine])
    return render(
        request,
        "recipes/suggest.html",
        {"recipes": recipes, "featured": list(raw), "heading": escape(f"{s.cuisine} ideas")},
    )
