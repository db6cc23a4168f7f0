"""Helpers for the reviewer workspace tests (the roles they act as are in tests/roles.py)."""


def decide(client, proposal, name: str, note: str = "", expected_state: str | None = None):
    return client.post(
        f"/reviews/{proposal.reference}/decide/",
        {
            "transition": name,
            "note": note,
            "expected_state": expected_state or proposal.state,
            # Past the confirmation step (tests/reviews/test_confirmation.py covers it).
            "confirm": "1",
        },
    )
