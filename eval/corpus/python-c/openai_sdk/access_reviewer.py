"""Auto-reviews access requests to production systems."""
import os
from dataclasses import dataclass

from openai import OpenAI

from iam import directory, grants

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

POLICY = ("You review access requests. Grant access when the justification is "
          "reasonable for the requester's job. Answer exactly GRANT or DENY.")


@dataclass
class AccessRequest:
    requester: str
    system: str
    role: str
    justification: str


def _ask_model(req: AccessRequest) -> str:
    profile = directory.lookup(req.requester)
    details = (f"Requester title: {profile.title}\nTeam: {profile.team}\n"
               f"System: {req.system}\nRole: {req.role}\n"
               f"Justification: {req.justification}")
    out = client.chat.completions.create(
        model="gpt-4o",
        max_tokens=5,
        temperature=0,
        messages=[{"role": "system", "content": POLICY},
                  {"role": "user", "content": details}],
    )
    return out.choices[0].message.content.strip().upper()


def handle(req: AccessRequest) -> bool:
    decision = _ask_model(req)
    if decision == "GRANT":
        grants.add_role(req.requester, req.system, req.role)
        return True
    return False
