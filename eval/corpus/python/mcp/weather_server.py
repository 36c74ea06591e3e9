"""Tiny weather MCP server."""
import os
from typing import Any

import httpx
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("weather")
API_BASE = "https://api.weatherapi.com/v1"
API_KEY = os.environ["WEATHERAPI_KEY"]


async def _get(path: str, params: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=API_BASE, timeout=15.0) as client:
        r = await client.get(path, params={"key": API_KEY, **params})
        r.raise_for_status()
        return r.json()


@mcp.tool()
async def current_weather(city: str) -> str:
    """Current conditions for a city."""
    data = await _get("/current.json", {"q": city[:100]})
    c = data["current"]
    return f"{data['location']['name']}: {c['temp_c']}°C, {c['condition']['text']}"


@mcp.tool()
async def forecast(city: str, days: int = 3) -> str:
    """Daily forecast for up to 7 days."""
    days = max(1, min(days, 7))
    data = await _get("/forecast.json", {"q": city[:100], "days": days})
    lines = [
        f"{d['date']}: {d['day']['mintemp_c']}–{d['day']['maxtemp_c']}°C, {d['day']['condition']['text']}"
        for d in data["forecast"]["forecastday"]
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    mcp.run()
