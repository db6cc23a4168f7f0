from django.conf import settings


def program(request):
    """Names every page shows (header, title, footer)."""
    return {
        "PROGRAM_NAME": settings.PROGRAM_NAME,
        "ORGANIZATION_NAME": settings.ORGANIZATION_NAME,
        "PROGRAM_CONTACT_EMAIL": settings.PROGRAM_CONTACT_EMAIL,
    }
