from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # any failure means "down"; the message says which
        return False, f"unreachable: {exc.__class__.__name__}"


def _broker_ok() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        return True, "not configured (tasks run in-process)"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
        return True, "ok"
    except Exception as exc:
        return False, f"unreachable: {exc.__class__.__name__}"


@never_cache
def healthz(request):
    """Health of each part, for load balancers and the person on call."""
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    healthy = db_ok and broker_ok
    return JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "database": db_detail,
            "broker": broker_detail,
        },
        status=200 if healthy else 503,
    )
