"""Session check for the support bot: the tenant and role come from a signed session cookie."""
import functools
import os

from flask import abort, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

_signer = URLSafeTimedSerializer(os.environ["SESSION_SECRET"], salt="support-bot")


class Session:
    def __init__(self, tenant_id: str, user_id: str, role: str, display_name: str):
        self.tenant_id = tenant_id
        self.user_id = user_id
        self.role = role
        self.display_name = display_name


def require_session(role: str):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            token = request.cookies.get("acme_session", "")
            try:
                data = _signer.loads(token, max_age=8 * 3600)
            except BadSignature:
                abort(401)
            if role == "admin" and data.get("role") != "admin":
                abort(403)
            g.session = Session(data["tenant_id"], data["user_id"], data["role"], data.get("name", ""))
            return view(*args, **kwargs)

        return wrapper

    return decorator
