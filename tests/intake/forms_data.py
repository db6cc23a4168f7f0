"""POST data for the public proposal form, as a browser would send it."""


def form_data(*, organizers: int = 2, **overrides) -> dict:
    data = {
        "name": "Zine Librarians",
        "description": "We share how libraries collect and catalogue zines.",
        "audience": "Anyone who works with zines.",
        "open_to_all": "on",
        "differs_from_existing": "No listed group covers zines.",
        "activities": "Talks and a zine swap.",
        "meeting_frequency": "quarterly",
        "meeting_frequency_other": "",
        "meeting_format": "at_council",
        "first_meeting": "",
        "existing_url": "",
        "wants_promotion": "on",
        "support_notes": "",
        "agrees_to_guidelines": "on",
        "agrees_to_code_of_conduct": "on",
        "website": "",
        "organizers-TOTAL_FORMS": str(max(organizers, 3)),
        "organizers-INITIAL_FORMS": "0",
        "organizers-MIN_NUM_FORMS": "0",
        "organizers-MAX_NUM_FORMS": "10",
    }
    for i in range(organizers):
        data[f"organizers-{i}-name"] = f"Person {i}"
        data[f"organizers-{i}-email"] = f"person{i}@example.org"
        data[f"organizers-{i}-institution"] = "Queens Public Library"
        data[f"organizers-{i}-listed_publicly"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
