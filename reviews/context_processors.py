from intake.actors import is_staff_member


def staff(request):
    """Whether to show the staff links in the header (evaluated only when a template asks)."""
    return {"show_staff_nav": lambda: is_staff_member(getattr(request, "user", None))}
