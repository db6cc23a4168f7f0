"""The benchmark's SMTP sink records what arrives, and the benchmark reads its log."""

import smtplib
from email.message import EmailMessage

from bench.smtp_sink import SinkLog, SmtpSink


def _send(port: int, subject: str, to: str) -> None:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "meetups@localhost"
    message["To"] = to
    message.set_content("Hello.")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.send_message(message)


def test_the_sink_records_each_message_and_logs_it_as_a_json_line(tmp_path):
    log = tmp_path / "sink.jsonl"
    sink = SmtpSink(log_path=str(log)).start()
    try:
        _send(sink.port, "We received your proposal MTG-2026-0001", "ada@example.org")
        _send(sink.port, "New proposal to review: MTG-2026-0001", "grace@example.org")
        assert sink.wait_for(2, timeout=10)
    finally:
        sink.stop()

    assert [m["to"] for m in sink.snapshot()] == [["ada@example.org"], ["grace@example.org"]]
    reader = SinkLog(log)
    assert reader.count == 2
    assert reader.records()[0]["subject"] == "We received your proposal MTG-2026-0001"
    assert reader.wait_for(2, timeout=0)
    assert not reader.wait_for(3, timeout=0)


def test_the_log_reader_ignores_a_line_still_being_written(tmp_path):
    log = tmp_path / "sink.jsonl"
    log.write_text('{"subject": "one", "arrived": 1.0}\n{"subject": "tw')
    reader = SinkLog(log)
    assert [r["subject"] for r in reader.records()] == ["one"]
    with open(log, "a") as handle:
        handle.write('o", "arrived": 2.0}\n')
    assert [r["subject"] for r in reader.records()] == ["one", "two"]


def test_the_delay_comes_from_the_delay_file_when_there_is_one(tmp_path):
    delay_file = tmp_path / "delay"
    sink = SmtpSink(delay=0.0, delay_path=str(delay_file))
    delay_file.write_text("2.5")
    assert sink.current_delay() == 2.5
    delay_file.write_text("not a number")
    assert sink.current_delay() == 0.0
    delay_file.unlink()
    assert sink.current_delay() == 0.0
