from accounts.roles import is_program_manager, is_staff_member

# Which staff link in the header is the current page, most specific prefix first.
STAFF_SECTIONS = (
    ("/reviews/outbox/", "outbox"),
    ("/reviews/archived-groups/", "groups"),
    ("/reviews/all-groups/", "groups"),
    ("/reviews/groups/", "groups"),
    ("/reviews/settings/", "settings"),
    ("/reviews/questions/", "form"),
    ("/reviews/pages/", "form"),
    ("/reviews/report/", "report"),
    ("/reviews/", "reviews"),
)


def staff(request):
    """Whether to show the staff links in the header (evaluated only when a template asks),
    and which of them is the current page."""
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    return {
        "staff_section": next((name for p, name in STAFF_SECTIONS if path.startswith(p)), ""),
        "show_staff_nav": lambda: is_staff_member(user),
        "show_manager_nav": lambda: user is not None and is_program_manager(user),
        "signed_in_as": lambda: signed_in_as(user),
    }


def signed_in_as(user) -> str:
    """Who the header says is signed in: their name and email address (staff only)."""
    if not is_staff_member(user):
        return ""
    name = user.get_full_name().strip()
    email = user.email or user.get_username()
    return f"{name} ({email})" if name and name != email else email
