from intake.actors import is_program_manager, is_staff_member


def staff(request):
    """Whether to show the staff links in the header (evaluated only when a template asks)."""
    user = getattr(request, "user", None)
    return {
        "show_staff_nav": lambda: is_staff_member(user),
        "show_manager_nav": lambda: user is not None and is_program_manager(user),
    }
