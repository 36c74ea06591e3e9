"""Django views for the product pages: AI summary of customer reviews."""
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_page
from openai import OpenAI

from catalog.models import Product, Review

client = OpenAI(api_key=settings.OPENAI_API_KEY)


def summarize_reviews(product: Product) -> str:
    reviews = Review.objects.filter(product=product).order_by("-created_at")[:30]
    joined = "\n---\n".join(r.text for r in reviews)
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": "Summarise the customer reviews as a short HTML fragment using <p>, <ul> and <li>."},
            {"role": "user", "content": joined},
        ],
        max_tokens=400,
        temperature=0.2,
    )
    return response.choices[0].message.content


@cache_page(60 * 30)
def product_detail(request, product_id: int):
    product = get_object_or_404(Product, pk=product_id)
    summary_html = summarize_reviews(product)
    context = {
        "product": product,
        "review_summary": mark_safe(summary_html),
    }
    return render(request, "catalog/product_detail.html", context)
